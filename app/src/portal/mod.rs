//! The frame of every signed-in page: top bar (portal name, scope switcher, user menu), password
//! expiry banner, session countdown, navigation by permission, footer.

mod scope;
mod session_timer;

pub use scope::*;
pub use session_timer::SessionTimer;

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::auth::{current_user, Logout, SignedInUser};
use crate::ui::{Brand, ErrorPanel};

/// One entry of the side navigation, shown when the user holds `permission`.
struct NavItem {
    label: &'static str,
    /// The Customer Portal's name for the same page, when it differs.
    customer_label: &'static str,
    href: &'static str,
    permission: &'static str,
    /// Only for users of the SP itself (not OpCo or tenant users).
    service_provider_only: bool,
}

const fn item(label: &'static str, href: &'static str, permission: &'static str) -> NavItem {
    NavItem { label, customer_label: "", href, permission, service_provider_only: false }
}

/// An item the Customer Portal names differently (CSO: Tenant SLA Performance is the Customer
/// Portal's Application SLA Performance).
const fn named_item(label: &'static str, customer_label: &'static str, href: &'static str, permission: &'static str) -> NavItem {
    NavItem { label, customer_label, href, permission, service_provider_only: false }
}

const fn sp_item(label: &'static str, href: &'static str, permission: &'static str) -> NavItem {
    NavItem { label, customer_label: "", href, permission, service_provider_only: true }
}

/// The navigation in groups; a group's heading shows when any of its items does.
const NAV: &[(&str, &[NavItem])] = &[
    ("", &[item("Home", "/", "")]),
    (
        "Tenancy",
        &[
            item("Tenants", "/tenants", "tenants.view"),
            item("Operating companies", "/opcos", "opcos.view"),
            item("Users", "/users", "users.view"),
            item("Roles", "/roles", "roles.view"),
        ],
    ),
    (
        "Infrastructure",
        &[
            item("POPs", "/pops", "pops.view"),
            item("VIMs", "/vims", "infrastructure.view"),
            item("EMS", "/ems", "infrastructure.view"),
            item("Routers", "/routers", "infrastructure.view"),
        ],
    ),
    (
        "Sites and devices",
        &[
            item("Sites", "/sites", "sites.view"),
            item("Departments", "/departments", "sites.view"),
            item("Tenant devices", "/devices", "devices.view"),
            sp_item("Cloud hub devices", "/cloud-hubs", "devices.view"),
            item("Activation logs", "/activation-logs", "devices.view"),
            sp_item("Cloud hub activation logs", "/cloud-hubs/activation-logs", "devices.view"),
            sp_item("Secure OAM network", "/oam", "devices.view"),
            item("Device templates", "/device-templates", "templates.view"),
            item("Software images", "/images", "images.view"),
            sp_item("Simulator", "/simulator", "devices.operate"),
        ],
    ),
    ("Monitor", &[named_item("Tenant SLA Performance", "Application SLA Performance", "/sla/performance", "sites.view")]),
    (
        "Configuration",
        &[
            item("Traffic type profiles", "/sla/traffic-types", "sla_profiles.view"),
            item("SLA profiles", "/sla/profiles", "sla_profiles.view"),
            item("Network Services", "/network-services", "network_services.view"),
            item("Service Instances", "/network-services/instances", "network_services.view"),
        ],
    ),
    (
        "Operations",
        &[
            item("Alarms", "/alarms", "alarms.view"),
            item("Events", "/events", "alarms.view"),
            item("Alert definitions", "/alerts", "alerts.view"),
            item("Maintenance windows", "/maintenance", "alerts.view"),
            item("Jobs", "/jobs", "jobs.view"),
            item("Audit logs", "/audit", "audit_log.view"),
            sp_item("Sign-in activity", "/sign-ins", "sign_ins.view"),
        ],
    ),
    (
        "Designer Tools",
        &[
            sp_item("Configuration Designer", "/designer/config", "designs.view"),
            sp_item("Resource Designer", "/designer/resource", "designs.view"),
            sp_item("Network Service Designer", "/designer/service", "designs.view"),
            sp_item("Design requests", "/designer/config/requests", "designs.view"),
        ],
    ),
    (
        "Settings",
        &[
            item("Authentication", "/settings/authentication", "auth_settings.view"),
            sp_item("Outbox", "/outbox", "outbox.view"),
            item("My account", "/account", ""),
        ],
    ),
];

/// The signed-in user as the portal frame loaded it, for pages that need it: loaded once per full
/// page load, not at every client-side navigation.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<SignedInUser>, crate::AppError>>);

/// The portal frame around every signed-in page: the parent route of all of them (`App`). It loads
/// the signed-in user and scope once per full page load and provides them as [`CurrentUser`]; a
/// client-side navigation swaps only the page in the `<Outlet/>`, which asks only for its own data.
///
/// The page is deliberately outside the frame's `<Suspense>`: on the server a suspense may run its
/// children more than once before it settles, and a page created there would create its resources
/// (and call its server functions) again each time — responses that sometimes never finished and
/// pages whose HTML did not match what the browser built when it hydrated them. The frame's parts
/// are placed side by side by the stylesheet's grid (`div.shell`), not by a wrapper.
#[component]
pub fn PortalLayout() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    provide_context(CurrentUser(user));
    let hidden_columns = crate::ui::HiddenColumns(StoredValue::new(Vec::new()));
    provide_context(hidden_columns);
    view! {
        <div class="shell">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Suspense fallback=|| view! { <header class="topbar"><Brand/></header> }>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) => {
                            // Read by the data tables once the page is hydrated.
                            hidden_columns.0.set_value(u.hidden_columns.clone());
                            view! {
                                <TopBar user=u.clone()/>
                                <ExpiryBanner user=u.clone()/>
                                <SessionTimer timing=u.session/>
                                <SideNav user=u/>
                            }
                            .into_any()
                        }
                        Ok(None) => view! { <SignedOut error=crate::AppError::Unauthenticated/> }.into_any(),
                        Err(e) => view! { <SignedOut error=e/> }.into_any(),
                    }
                })}
            </Suspense>
            <main id="main" class="content"><Outlet/></main>
            <footer class="footer">"Portico " {env!("CARGO_PKG_VERSION")}</footer>
        </div>
    }
}

/// The frame without a user: a session that ended while the page was open, or a failed lookup. The
/// page below says the same in its own words (its data is refused too).
#[component]
fn SignedOut(error: crate::AppError) -> impl IntoView {
    view! {
        <header class="topbar">
            <a href="/" class="brand-link"><Brand/></a>
        </header>
        <div class="shell-notice"><ErrorPanel error/></div>
    }
}

/// From 14 days before a password expires, every page says so.
#[component]
fn ExpiryBanner(user: SignedInUser) -> impl IntoView {
    user.password_expires_in_days.map(|days| {
        let when = match days {
            d if d <= 0 => "today".to_string(),
            1 => "in 1 day".to_string(),
            d => format!("in {d} days"),
        };
        view! {
            <div class="banner banner-warning" role="status">
                {format!("Your password expires {when}. ")}
                <a href="/change-password">"Change it now"</a>
            </div>
        }
    })
}

#[component]
fn TopBar(user: SignedInUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let switcher = !user.is_tenant_user && user.can("tenants.view");
    view! {
        <header class="topbar">
            <a href="/" class="brand-link"><Brand/></a>
            <span class="portal-name">{user.portal_name()}</span>
            {switcher.then(|| view! { <ScopeSwitcher current=user.scope_tenant.clone() choices=user.scope_choices.clone()/> })}
            <span class="spacer"></span>
            // <details> opens and closes without JavaScript, so the menu works before hydration too.
            <details class="user-menu">
                <summary>
                    <span class="user-name">{user.display_name.clone()}</span>
                    " "
                    <small>{user.role_label.clone()}</small>
                </summary>
                <div class="menu">
                    <a class="menu-item" href="/account">"My account"</a>
                    <a class="menu-item" href="/change-password">"Change password"</a>
                    <ActionForm action=logout>
                        <button type="submit" class="menu-item">"Sign out"</button>
                    </ActionForm>
                </div>
            </details>
        </header>
    }
}

/// Whether the nav item `href` is the page at `path`: the page itself or one below it, unless a
/// longer item also holds the page (Service Instances, not Network Services, on an instance's page).
fn is_current(path: &str, href: &str, all: &[&str]) -> bool {
    let holds = |h: &str| path == h || (h != "/" && path.starts_with(h) && path[h.len()..].starts_with('/'));
    holds(href) && !all.iter().any(|other| other.len() > href.len() && holds(other))
}

#[component]
fn SideNav(user: SignedInUser) -> impl IntoView {
    let tenant_user = user.is_tenant_user;
    let shown = |item: &&NavItem| {
        (item.permission.is_empty() || user.can(item.permission)) && (!item.service_provider_only || user.is_service_provider)
    };
    let location = leptos_router::hooks::use_location();
    let hrefs: Vec<&'static str> = NAV.iter().flat_map(|(_, items)| items.iter()).filter(|i| shown(i)).map(|i| i.href).collect();
    let hrefs = StoredValue::new(hrefs);
    let groups = NAV
        .iter()
        .filter_map(|(heading, items)| {
            let links: Vec<&NavItem> = items.iter().filter(|i| shown(i)).collect();
            (!links.is_empty()).then(|| {
                let id = format!("nav-{}", heading.to_ascii_lowercase());
                let links = links
                    .into_iter()
                    .map(|item| {
                        let label = if tenant_user && !item.customer_label.is_empty() { item.customer_label } else { item.label };
                        let href = item.href;
                        let current = move || location.pathname.with(|path| hrefs.with_value(|all| is_current(path, href, all))).then_some("page");
                        view! { <li><a href=href aria-current=current>{label}</a></li> }
                    })
                    .collect_view();
                if heading.is_empty() {
                    view! { <ul>{links}</ul> }.into_any()
                } else {
                    view! {
                        <p class="nav-section" id=id.clone()>{*heading}</p>
                        <ul aria-labelledby=id>{links}</ul>
                    }
                    .into_any()
                }
            })
        })
        .collect_view();
    view! {
        <nav class="sidebar" aria-label="Main">
            {groups}
        </nav>
    }
}

#[cfg(test)]
mod nav_tests {
    use super::is_current;

    #[test]
    fn the_longest_item_holding_the_page_is_the_current_one() {
        let all = ["/", "/network-services", "/network-services/instances", "/designer/config", "/designer/config/requests"];
        assert!(is_current("/network-services", "/network-services", &all));
        assert!(is_current("/network-services/7", "/network-services", &all));
        assert!(!is_current("/network-services/instances/3", "/network-services", &all));
        assert!(is_current("/network-services/instances/3", "/network-services/instances", &all));
        assert!(!is_current("/designer/config/requests", "/designer/config", &all));
        assert!(is_current("/designer/config/12", "/designer/config", &all));
        assert!(is_current("/", "/", &all));
        assert!(!is_current("/sites", "/", &all));
        assert!(!is_current("/network-services-old", "/network-services", &all), "a prefix of a segment is not a page below");
    }
}
