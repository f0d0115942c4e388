//! The frame of every signed-in page: top bar with the user menu, navigation by role, footer.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::{current_user, SignedInUser, Logout};
use crate::ui::{Brand, ErrorPanel, Loading};

/// One entry of the side navigation.
struct NavItem {
    label: &'static str,
    href: &'static str,
    service_provider_only: bool,
}

const NAV: &[NavItem] = &[
    NavItem { label: "Home", href: "/", service_provider_only: false },
    NavItem { label: "Sign-in activity", href: "/sign-ins", service_provider_only: true },
];

/// Wraps a page's content in the portal frame once the signed-in user is known.
#[component]
pub fn Portal(children: ChildrenFn) -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <div class="shell">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Suspense fallback=|| view! { <header class="topbar"><Brand/></header><Loading what="the portal"/> }>
                {move || {
                    let children = children.clone();
                    Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                <TopBar user=u.clone()/>
                                <div class="shell-body">
                                    <SideNav user=u/>
                                    <main id="main" class="content">{children()}</main>
                                </div>
                            }.into_any(),
                            Ok(None) => view! { <SignedOut error=crate::AppError::Unauthenticated/> }.into_any(),
                            Err(e) => view! { <SignedOut error=e/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
            <footer class="footer">"Portico " {env!("CARGO_PKG_VERSION")}</footer>
        </div>
    }
}

/// The frame without a user: a session that ended while the page was open, or a failed lookup.
#[component]
fn SignedOut(error: crate::AppError) -> impl IntoView {
    view! {
        <header class="topbar">
            <a href="/" class="brand-link"><Brand/></a>
        </header>
        <main id="main" class="content"><ErrorPanel error/></main>
    }
}

#[component]
fn TopBar(user: SignedInUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let portal = if user.is_service_provider { "Administration Portal" } else { "Customer Portal" };
    view! {
        <header class="topbar">
            <a href="/" class="brand-link"><Brand/></a>
            <span class="portal-name">{portal}</span>
            <span class="spacer"></span>
            // <details> opens and closes without JavaScript, so the menu works before hydration too.
            <details class="user-menu">
                <summary>
                    <span class="user-name">{user.display_name.clone()}</span>
                    " "
                    <small>{user.role_label.clone()}</small>
                </summary>
                <div class="menu">
                    <a class="menu-item" href="/change-password">"Change password"</a>
                    <ActionForm action=logout>
                        <button type="submit" class="menu-item">"Sign out"</button>
                    </ActionForm>
                </div>
            </details>
        </header>
    }
}

#[component]
fn SideNav(user: SignedInUser) -> impl IntoView {
    let items = NAV
        .iter()
        .filter(|item| user.is_service_provider || !item.service_provider_only)
        .map(|item| view! { <li><A href=item.href exact=true>{item.label}</A></li> })
        .collect_view();
    view! {
        <nav class="sidebar" aria-label="Main">
            <ul>{items}</ul>
        </nav>
    }
}
