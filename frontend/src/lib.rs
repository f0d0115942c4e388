#![recursion_limit = "256"]
//! The wasm entry point: everything it does is `app::hydrate`.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    app::hydrate();
}
