//! The Stage-1 configuration of each device, to paste on its console before activation: the text is
//! always there to select; once the page is hydrated a Copy button puts it on the clipboard.

use leptos::prelude::*;

use super::Stage1View;
use crate::ui::Panel;

/// "Stage-1 configuration for branch-node0 (node0)"; a single CPE has no node to name.
pub fn stage1_title(device_name: &str, node: Option<i32>) -> String {
    match node {
        Some(n) => format!("Stage-1 configuration for {device_name} (node{n})"),
        None => format!("Stage-1 configuration for {device_name}"),
    }
}

/// Puts `text` on the clipboard; false where the browser offers no clipboard (a page served over
/// plain HTTP to another machine). The returned promise is left alone: a refusal changes nothing here.
#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let clipboard = window.navigator().clipboard();
    // Outside a secure context `navigator.clipboard` is undefined, and calling it would throw.
    if clipboard.is_undefined() {
        return false;
    }
    let _ = clipboard.write_text(text);
    true
}

/// The server never runs click handlers; this only keeps the markup the same on both sides.
#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(_text: &str) -> bool {
    false
}

#[component]
fn Stage1Block(config: Stage1View) -> impl IntoView {
    let title = stage1_title(&config.device_name, config.node);
    let heading_id = format!("stage1-{}", config.device_id);
    let hydrated = crate::ui::hydrated();
    // None: not clicked yet; Some(true): copied; Some(false): the browser has no clipboard here.
    let (copied, set_copied) = signal(None::<bool>);
    let text = config.set_commands.clone();
    let button_text = move || match copied.get() {
        None => "Copy",
        Some(true) => "Copied",
        Some(false) => "Select the text to copy it",
    };
    view! {
        <section class="stage1" aria-labelledby=heading_id.clone()>
            <div class="stage1-header">
                <h3 id=heading_id.clone()>{title.clone()}</h3>
                <button
                    type="button"
                    class="btn btn-secondary"
                    hidden=move || !hydrated.get()
                    on:click=move |_| set_copied.set(Some(copy_to_clipboard(&text)))
                >
                    {button_text}
                    <span class="visually-hidden">{format!(" {title}")}</span>
                </button>
            </div>
            <pre class="stage1-config" tabindex="0"><code>{config.set_commands}</code></pre>
        </section>
    }
}

/// One block per device, in node order.
#[component]
pub fn Stage1Panel(configs: Vec<Stage1View>) -> impl IntoView {
    let body = if configs.is_empty() {
        view! { <p class="muted">"This site has no device to configure."</p> }.into_any()
    } else {
        configs.into_iter().map(|config| view! { <Stage1Block config/> }).collect_view().into_any()
    };
    view! {
        <Panel id="site-stage1" title="Stage-1 configuration">
            <p class="muted">
                "Paste these commands on each device's console (configuration mode), commit, then activate the "
                "site. They set the host name, enable NETCONF and bring up the device's OAM tunnel to the portal."
            </p>
            {body}
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_the_node_when_there_is_one() {
        assert_eq!(stage1_title("b-node1", Some(1)), "Stage-1 configuration for b-node1 (node1)");
        assert_eq!(stage1_title("shop-cpe", None), "Stage-1 configuration for shop-cpe");
    }
}
