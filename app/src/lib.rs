#![recursion_limit = "256"]
//! Portico's user interface: the unified portal, rendered on the server and hydrated in the browser.
//!
//! One folder per feature (`auth`, `tenants`, `users`, `audit`…), shared widgets in `ui`, the frame every
//! signed-in page sits in in `portal`. Server functions live beside the pages that call them and stay
//! thin: find the actor, call `domain`, shape the answer.

pub mod account;
pub mod activity;
pub mod alarms;
pub mod audit;
pub mod auth;
pub mod deletions;
pub mod departments;
pub mod device_templates;
pub mod devices;
pub mod ems;
pub mod error;
pub mod home;
pub mod images;
pub mod imports;
pub mod jobs;
pub mod opcos;
pub mod outbox;
pub mod pops;
pub mod portal;
pub mod roles;
pub mod routers;
pub mod settings;
pub mod simulator;
pub mod sites;
pub mod tenants;
pub mod ui;
pub mod users;
pub mod vims;

#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub use error::AppError;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href="/pkg/portico.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Scripts run only if they come from this origin or carry this response's nonce (Leptos puts it on
/// the hydration script); wasm may be compiled; nothing may frame the portal or post elsewhere.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'; object-src 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        res.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// Every route renders fully before it is sent (`SsrMode::Async`): pages must work with JavaScript off,
/// and out-of-order streaming needs a script to put the data in place.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // leptos_meta writes the title into the server's HTML unescaped; every page title passes
        // through here, so a title naming a stored object can never end the <title> element.
        <leptos_meta::Title formatter=title_text/>
        <Router>
            <Routes fallback=ui::NotFound>
                <Route path=path!("/login") view=auth::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/change-password") view=auth::ChangePasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/forgot-password") view=auth::ForgotPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/reset-password") view=auth::ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async/>
                <Route path=path!("/scope") view=portal::ScopePage ssr=SsrMode::Async/>
                <Route path=path!("/sign-ins") view=activity::SignInsPage ssr=SsrMode::Async/>
                <Route path=path!("/tenants") view=tenants::TenantsPage ssr=SsrMode::Async/>
                <Route path=path!("/tenants/new") view=tenants::NewTenantPage ssr=SsrMode::Async/>
                <Route path=path!("/tenants/:id") view=tenants::TenantPage ssr=SsrMode::Async/>
                <Route path=path!("/tenants/:id/delete") view=tenants::DeleteTenantPage ssr=SsrMode::Async/>
                <Route path=path!("/opcos") view=opcos::OpcosPage ssr=SsrMode::Async/>
                <Route path=path!("/opcos/new") view=opcos::NewOpcoPage ssr=SsrMode::Async/>
                <Route path=path!("/opcos/:id") view=opcos::OpcoPage ssr=SsrMode::Async/>
                <Route path=path!("/opcos/:id/delete") view=opcos::DeleteOpcoPage ssr=SsrMode::Async/>
                <Route path=path!("/users") view=users::UsersPage ssr=SsrMode::Async/>
                <Route path=path!("/users/new") view=users::NewUserPage ssr=SsrMode::Async/>
                <Route path=path!("/users/:id") view=users::UserPage ssr=SsrMode::Async/>
                <Route path=path!("/users/:id/delete") view=users::DeleteUserPage ssr=SsrMode::Async/>
                <Route path=path!("/roles") view=roles::RolesPage ssr=SsrMode::Async/>
                <Route path=path!("/roles/new") view=roles::NewRolePage ssr=SsrMode::Async/>
                <Route path=path!("/roles/builtin/:key") view=roles::BuiltinRolePage ssr=SsrMode::Async/>
                <Route path=path!("/roles/:id") view=roles::RolePage ssr=SsrMode::Async/>
                <Route path=path!("/pops") view=pops::PopsPage ssr=SsrMode::Async/>
                <Route path=path!("/pops/new") view=pops::NewPopPage ssr=SsrMode::Async/>
                <Route path=path!("/pops/:id") view=pops::PopPage ssr=SsrMode::Async/>
                <Route path=path!("/pops/:id/edit") view=pops::EditPopPage ssr=SsrMode::Async/>
                <Route path=path!("/pops/:id/delete") view=pops::DeletePopPage ssr=SsrMode::Async/>
                <Route path=path!("/vims") view=vims::VimsPage ssr=SsrMode::Async/>
                <Route path=path!("/vims/new") view=vims::NewVimPage ssr=SsrMode::Async/>
                <Route path=path!("/vims/:id") view=vims::VimPage ssr=SsrMode::Async/>
                <Route path=path!("/vims/:id/delete") view=vims::DeleteVimPage ssr=SsrMode::Async/>
                <Route path=path!("/ems") view=ems::EmsListPage ssr=SsrMode::Async/>
                <Route path=path!("/ems/new") view=ems::NewEmsPage ssr=SsrMode::Async/>
                <Route path=path!("/ems/:id") view=ems::EmsPage ssr=SsrMode::Async/>
                <Route path=path!("/ems/:id/password") view=ems::EmsPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/ems/:id/delete") view=ems::DeleteEmsPage ssr=SsrMode::Async/>
                <Route path=path!("/routers") view=routers::RoutersPage ssr=SsrMode::Async/>
                <Route path=path!("/routers/new") view=routers::NewRouterPage ssr=SsrMode::Async/>
                <Route path=path!("/routers/:id") view=routers::RouterPage ssr=SsrMode::Async/>
                <Route path=path!("/routers/:id/delete") view=routers::DeleteRouterPage ssr=SsrMode::Async/>
                <Route path=path!("/imports") view=imports::ImportsPage ssr=SsrMode::Async/>
                <Route path=path!("/imports/new") view=imports::NewImportPage ssr=SsrMode::Async/>
                <Route path=path!("/imports/:id") view=imports::ImportPage ssr=SsrMode::Async/>
                <Route path=path!("/deletions") view=deletions::DeletionsPage ssr=SsrMode::Async/>
                <Route path=path!("/deletions/:id") view=deletions::DeletionPage ssr=SsrMode::Async/>
                <Route path=path!("/sites") view=sites::SitesPage ssr=SsrMode::Async/>
                <Route path=path!("/sites/new") view=sites::NewSitePage ssr=SsrMode::Async/>
                <Route path=path!("/sites/:id") view=sites::SitePage ssr=SsrMode::Async/>
                <Route path=path!("/sites/:id/delete") view=sites::DeleteSitePage ssr=SsrMode::Async/>
                <Route path=path!("/departments") view=departments::DepartmentsPage ssr=SsrMode::Async/>
                <Route path=path!("/devices") view=devices::TenantDevicesPage ssr=SsrMode::Async/>
                <Route path=path!("/devices/:id") view=devices::DevicePage ssr=SsrMode::Async/>
                <Route path=path!("/devices/:id/reboot") view=devices::RebootDevicePage ssr=SsrMode::Async/>
                <Route path=path!("/cloud-hubs") view=devices::CloudHubDevicesPage ssr=SsrMode::Async/>
                <Route path=path!("/cloud-hubs/new") view=devices::NewCloudHubPage ssr=SsrMode::Async/>
                <Route path=path!("/cloud-hubs/activation-logs") view=devices::CloudHubActivationLogsPage ssr=SsrMode::Async/>
                <Route path=path!("/activation-logs") view=devices::TenantActivationLogsPage ssr=SsrMode::Async/>
                <Route path=path!("/oam") view=devices::OamNetworkPage ssr=SsrMode::Async/>
                <Route path=path!("/simulator") view=simulator::SimulatorPage ssr=SsrMode::Async/>
                <Route path=path!("/alarms") view=alarms::AlarmsPage ssr=SsrMode::Async/>
                <Route path=path!("/events") view=alarms::EventsPage ssr=SsrMode::Async/>
                <Route path=path!("/device-templates") view=device_templates::DeviceTemplatesPage ssr=SsrMode::Async/>
                <Route path=path!("/device-templates/new") view=device_templates::NewDeviceTemplatePage ssr=SsrMode::Async/>
                <Route path=path!("/device-templates/:id") view=device_templates::DeviceTemplatePage ssr=SsrMode::Async/>
                <Route path=path!("/device-templates/:id/preview") view=device_templates::TemplatePreviewPage ssr=SsrMode::Async/>
                <Route path=path!("/images") view=images::ImagesPage ssr=SsrMode::Async/>
                <Route path=path!("/images/new") view=images::UploadImagePage ssr=SsrMode::Async/>
                <Route path=path!("/jobs") view=jobs::JobsPage ssr=SsrMode::Async/>
                <Route path=path!("/jobs/:id") view=jobs::JobPage ssr=SsrMode::Async/>
                <Route path=path!("/audit") view=audit::AuditPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=account::AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/authentication") view=settings::AuthSettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/outbox") view=outbox::OutboxPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// A page title as the server writes it into `<title>` (escaped) and as the browser sets
/// `document.title` (plain text).
fn title_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    return ui::escape_text(&text);
    #[cfg(not(feature = "ssr"))]
    text
}

/// Called by the wasm entry point in `frontend/`.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
