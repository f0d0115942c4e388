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
pub mod site_files;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub use error::AppError;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    // The files of the current site build, under their content-hashed names.
    #[cfg(feature = "ssr")]
    let (options, css) = match use_context::<state::AppState>() {
        Some(state) => {
            let names = state.site.names();
            let mut options = options;
            options.output_name = names.app.into();
            (options, format!("/pkg/{}", names.css))
        }
        None => (options, "/pkg/portico.css".to_string()),
    };
    #[cfg(not(feature = "ssr"))]
    let css = "/pkg/portico.css".to_string();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href=css/>
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
/// and out-of-order streaming needs a script to put the data in place. The signed-in pages are the
/// children of one parent route, the portal frame ([`portal::PortalLayout`]); they inherit its mode.
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
                <ParentRoute path=path!("") view=portal::PortalLayout ssr=SsrMode::Async>
                    <Route path=path!("/") view=home::HomePage/>
                    <Route path=path!("/scope") view=portal::ScopePage/>
                    <Route path=path!("/sign-ins") view=activity::SignInsPage/>
                    <Route path=path!("/tenants") view=tenants::TenantsPage/>
                    <Route path=path!("/tenants/new") view=tenants::NewTenantPage/>
                    <Route path=path!("/tenants/:id") view=tenants::TenantPage/>
                    <Route path=path!("/tenants/:id/delete") view=tenants::DeleteTenantPage/>
                    <Route path=path!("/opcos") view=opcos::OpcosPage/>
                    <Route path=path!("/opcos/new") view=opcos::NewOpcoPage/>
                    <Route path=path!("/opcos/:id") view=opcos::OpcoPage/>
                    <Route path=path!("/opcos/:id/delete") view=opcos::DeleteOpcoPage/>
                    <Route path=path!("/users") view=users::UsersPage/>
                    <Route path=path!("/users/new") view=users::NewUserPage/>
                    <Route path=path!("/users/:id") view=users::UserPage/>
                    <Route path=path!("/users/:id/delete") view=users::DeleteUserPage/>
                    <Route path=path!("/roles") view=roles::RolesPage/>
                    <Route path=path!("/roles/new") view=roles::NewRolePage/>
                    <Route path=path!("/roles/builtin/:key") view=roles::BuiltinRolePage/>
                    <Route path=path!("/roles/:id") view=roles::RolePage/>
                    <Route path=path!("/pops") view=pops::PopsPage/>
                    <Route path=path!("/pops/new") view=pops::NewPopPage/>
                    <Route path=path!("/pops/:id") view=pops::PopPage/>
                    <Route path=path!("/pops/:id/edit") view=pops::EditPopPage/>
                    <Route path=path!("/pops/:id/delete") view=pops::DeletePopPage/>
                    <Route path=path!("/vims") view=vims::VimsPage/>
                    <Route path=path!("/vims/new") view=vims::NewVimPage/>
                    <Route path=path!("/vims/:id") view=vims::VimPage/>
                    <Route path=path!("/vims/:id/delete") view=vims::DeleteVimPage/>
                    <Route path=path!("/ems") view=ems::EmsListPage/>
                    <Route path=path!("/ems/new") view=ems::NewEmsPage/>
                    <Route path=path!("/ems/:id") view=ems::EmsPage/>
                    <Route path=path!("/ems/:id/password") view=ems::EmsPasswordPage/>
                    <Route path=path!("/ems/:id/delete") view=ems::DeleteEmsPage/>
                    <Route path=path!("/routers") view=routers::RoutersPage/>
                    <Route path=path!("/routers/new") view=routers::NewRouterPage/>
                    <Route path=path!("/routers/:id") view=routers::RouterPage/>
                    <Route path=path!("/routers/:id/delete") view=routers::DeleteRouterPage/>
                    <Route path=path!("/imports") view=imports::ImportsPage/>
                    <Route path=path!("/imports/new") view=imports::NewImportPage/>
                    <Route path=path!("/imports/:id") view=imports::ImportPage/>
                    <Route path=path!("/deletions") view=deletions::DeletionsPage/>
                    <Route path=path!("/deletions/:id") view=deletions::DeletionPage/>
                    <Route path=path!("/sites") view=sites::SitesPage/>
                    <Route path=path!("/sites/new") view=sites::NewSitePage/>
                    <Route path=path!("/sites/:id") view=sites::SitePage/>
                    <Route path=path!("/sites/:id/delete") view=sites::DeleteSitePage/>
                    <Route path=path!("/departments") view=departments::DepartmentsPage/>
                    <Route path=path!("/devices") view=devices::TenantDevicesPage/>
                    <Route path=path!("/devices/:id") view=devices::DevicePage/>
                    <Route path=path!("/devices/:id/reboot") view=devices::RebootDevicePage/>
                    <Route path=path!("/cloud-hubs") view=devices::CloudHubDevicesPage/>
                    <Route path=path!("/cloud-hubs/new") view=devices::NewCloudHubPage/>
                    <Route path=path!("/cloud-hubs/activation-logs") view=devices::CloudHubActivationLogsPage/>
                    <Route path=path!("/activation-logs") view=devices::TenantActivationLogsPage/>
                    <Route path=path!("/oam") view=devices::OamNetworkPage/>
                    <Route path=path!("/simulator") view=simulator::SimulatorPage/>
                    <Route path=path!("/alarms") view=alarms::AlarmsPage/>
                    <Route path=path!("/events") view=alarms::EventsPage/>
                    <Route path=path!("/device-templates") view=device_templates::DeviceTemplatesPage/>
                    <Route path=path!("/device-templates/new") view=device_templates::NewDeviceTemplatePage/>
                    <Route path=path!("/device-templates/:id") view=device_templates::DeviceTemplatePage/>
                    <Route path=path!("/device-templates/:id/preview") view=device_templates::TemplatePreviewPage/>
                    <Route path=path!("/images") view=images::ImagesPage/>
                    <Route path=path!("/images/new") view=images::UploadImagePage/>
                    <Route path=path!("/jobs") view=jobs::JobsPage/>
                    <Route path=path!("/jobs/:id") view=jobs::JobPage/>
                    <Route path=path!("/audit") view=audit::AuditPage/>
                    <Route path=path!("/account") view=account::AccountPage/>
                    <Route path=path!("/settings/authentication") view=settings::AuthSettingsPage/>
                    <Route path=path!("/outbox") view=outbox::OutboxPage/>
                </ParentRoute>
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
