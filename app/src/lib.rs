#![recursion_limit = "256"]
//! Portico's user interface: the unified portal, rendered on the server and hydrated in the browser.
//!
//! One folder per feature (`auth`, `tenants`, `users`, `audit`…), shared widgets in `ui`, the frame every
//! signed-in page sits in in `portal`. Server functions live beside the pages that call them and stay
//! thin: find the actor, call `domain`, shape the answer.

pub mod account;
pub mod activity;
pub mod alarms;
pub mod alerts;
pub mod audit;
pub mod auth;
pub mod deletions;
pub mod departments;
pub mod device_templates;
pub mod devices;
pub mod ems;
pub mod error;
pub mod dashboard;
pub mod designer;
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
pub mod sla;
pub mod network_services;
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
use leptos_router::Lazy;
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
                <Route path=path!("/change-password") view={Lazy::<pages::ChangePasswordRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/forgot-password") view={Lazy::<pages::ForgotPasswordRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/reset-password") view={Lazy::<pages::ResetPasswordRoute>::new()} ssr=SsrMode::Async/>
                <ParentRoute path=path!("") view=portal::PortalLayout ssr=SsrMode::Async>
                    <Route path=path!("/") view=dashboard::HomePage/>
                    <Route path=path!("/scope") view={Lazy::<pages::ScopeRoute>::new()}/>
                    <Route path=path!("/sign-ins") view={Lazy::<pages::SignInsRoute>::new()}/>
                    <Route path=path!("/tenants") view={Lazy::<pages::TenantsRoute>::new()}/>
                    <Route path=path!("/tenants/new") view={Lazy::<pages::NewTenantRoute>::new()}/>
                    <Route path=path!("/tenants/:id") view={Lazy::<pages::TenantRoute>::new()}/>
                    <Route path=path!("/tenants/:id/delete") view={Lazy::<pages::DeleteTenantRoute>::new()}/>
                    <Route path=path!("/opcos") view={Lazy::<pages::OpcosRoute>::new()}/>
                    <Route path=path!("/opcos/new") view={Lazy::<pages::NewOpcoRoute>::new()}/>
                    <Route path=path!("/opcos/:id") view={Lazy::<pages::OpcoRoute>::new()}/>
                    <Route path=path!("/opcos/:id/delete") view={Lazy::<pages::DeleteOpcoRoute>::new()}/>
                    <Route path=path!("/users") view={Lazy::<pages::UsersRoute>::new()}/>
                    <Route path=path!("/users/new") view={Lazy::<pages::NewUserRoute>::new()}/>
                    <Route path=path!("/users/:id") view={Lazy::<pages::UserRoute>::new()}/>
                    <Route path=path!("/users/:id/delete") view={Lazy::<pages::DeleteUserRoute>::new()}/>
                    <Route path=path!("/roles") view={Lazy::<pages::RolesRoute>::new()}/>
                    <Route path=path!("/roles/new") view={Lazy::<pages::NewRoleRoute>::new()}/>
                    <Route path=path!("/roles/builtin/:key") view={Lazy::<pages::BuiltinRoleRoute>::new()}/>
                    <Route path=path!("/roles/:id") view={Lazy::<pages::RoleRoute>::new()}/>
                    <Route path=path!("/pops") view={Lazy::<pages::PopsRoute>::new()}/>
                    <Route path=path!("/pops/new") view={Lazy::<pages::NewPopRoute>::new()}/>
                    <Route path=path!("/pops/:id") view={Lazy::<pages::PopRoute>::new()}/>
                    <Route path=path!("/pops/:id/edit") view={Lazy::<pages::EditPopRoute>::new()}/>
                    <Route path=path!("/pops/:id/delete") view={Lazy::<pages::DeletePopRoute>::new()}/>
                    <Route path=path!("/vims") view={Lazy::<pages::VimsRoute>::new()}/>
                    <Route path=path!("/vims/new") view={Lazy::<pages::NewVimRoute>::new()}/>
                    <Route path=path!("/vims/:id") view={Lazy::<pages::VimRoute>::new()}/>
                    <Route path=path!("/vims/:id/delete") view={Lazy::<pages::DeleteVimRoute>::new()}/>
                    <Route path=path!("/ems") view={Lazy::<pages::EmsListRoute>::new()}/>
                    <Route path=path!("/ems/new") view={Lazy::<pages::NewEmsRoute>::new()}/>
                    <Route path=path!("/ems/:id") view={Lazy::<pages::EmsRoute>::new()}/>
                    <Route path=path!("/ems/:id/password") view={Lazy::<pages::EmsPasswordRoute>::new()}/>
                    <Route path=path!("/ems/:id/delete") view={Lazy::<pages::DeleteEmsRoute>::new()}/>
                    <Route path=path!("/routers") view={Lazy::<pages::RoutersRoute>::new()}/>
                    <Route path=path!("/routers/new") view={Lazy::<pages::NewRouterRoute>::new()}/>
                    <Route path=path!("/routers/:id") view={Lazy::<pages::RouterRoute>::new()}/>
                    <Route path=path!("/routers/:id/delete") view={Lazy::<pages::DeleteRouterRoute>::new()}/>
                    <Route path=path!("/imports") view={Lazy::<pages::ImportsRoute>::new()}/>
                    <Route path=path!("/imports/new") view={Lazy::<pages::NewImportRoute>::new()}/>
                    <Route path=path!("/imports/:id") view={Lazy::<pages::ImportRoute>::new()}/>
                    <Route path=path!("/deletions") view={Lazy::<pages::DeletionsRoute>::new()}/>
                    <Route path=path!("/deletions/:id") view={Lazy::<pages::DeletionRoute>::new()}/>
                    <Route path=path!("/sites") view={Lazy::<pages::SitesRoute>::new()}/>
                    <Route path=path!("/sites/new") view={Lazy::<pages::NewSiteRoute>::new()}/>
                    <Route path=path!("/sites/:id") view={Lazy::<pages::SiteRoute>::new()}/>
                    <Route path=path!("/sites/:id/delete") view={Lazy::<pages::DeleteSiteRoute>::new()}/>
                    <Route path=path!("/departments") view={Lazy::<pages::DepartmentsRoute>::new()}/>
                    <Route path=path!("/devices") view={Lazy::<pages::TenantDevicesRoute>::new()}/>
                    <Route path=path!("/devices/:id") view={Lazy::<pages::DeviceRoute>::new()}/>
                    <Route path=path!("/devices/:id/reboot") view={Lazy::<pages::RebootDeviceRoute>::new()}/>
                    <Route path=path!("/cloud-hubs") view={Lazy::<pages::CloudHubDevicesRoute>::new()}/>
                    <Route path=path!("/cloud-hubs/new") view={Lazy::<pages::NewCloudHubRoute>::new()}/>
                    <Route path=path!("/cloud-hubs/activation-logs") view={Lazy::<pages::CloudHubActivationLogsRoute>::new()}/>
                    <Route path=path!("/activation-logs") view={Lazy::<pages::TenantActivationLogsRoute>::new()}/>
                    <Route path=path!("/oam") view={Lazy::<pages::OamNetworkRoute>::new()}/>
                    <Route path=path!("/simulator") view={Lazy::<pages::SimulatorRoute>::new()}/>
                    <Route path=path!("/alarms") view={Lazy::<pages::AlarmsRoute>::new()}/>
                    <Route path=path!("/alarms/:id") view={Lazy::<pages::AlarmRoute>::new()}/>
                    <Route path=path!("/alerts") view={Lazy::<pages::AlertsRoute>::new()}/>
                    <Route path=path!("/alerts/new") view={Lazy::<pages::NewAlertRoute>::new()}/>
                    <Route path=path!("/alerts/webhooks") view={Lazy::<pages::WebhooksRoute>::new()}/>
                    <Route path=path!("/alerts/:id") view={Lazy::<pages::AlertRoute>::new()}/>
                    <Route path=path!("/maintenance") view={Lazy::<pages::MaintenanceRoute>::new()}/>
                    <Route path=path!("/events") view={Lazy::<pages::EventsRoute>::new()}/>
                    <Route path=path!("/device-templates") view={Lazy::<pages::DeviceTemplatesRoute>::new()}/>
                    <Route path=path!("/device-templates/new") view={Lazy::<pages::NewDeviceTemplateRoute>::new()}/>
                    <Route path=path!("/device-templates/:id") view={Lazy::<pages::DeviceTemplateRoute>::new()}/>
                    <Route path=path!("/device-templates/:id/preview") view={Lazy::<pages::TemplatePreviewRoute>::new()}/>
                    <Route path=path!("/images") view={Lazy::<pages::ImagesRoute>::new()}/>
                    <Route path=path!("/images/new") view={Lazy::<pages::UploadImageRoute>::new()}/>
                    <Route path=path!("/jobs") view={Lazy::<pages::JobsRoute>::new()}/>
                    <Route path=path!("/jobs/:id") view={Lazy::<pages::JobRoute>::new()}/>
                    <Route path=path!("/audit") view={Lazy::<pages::AuditRoute>::new()}/>
                    <Route path=path!("/account") view={Lazy::<pages::AccountRoute>::new()}/>
                    <Route path=path!("/settings/authentication") view={Lazy::<pages::AuthSettingsRoute>::new()}/>
                    <Route path=path!("/outbox") view={Lazy::<pages::OutboxRoute>::new()}/>
                    <Route path=path!("/network-services") view={Lazy::<pages::NetworkServicesRoute>::new()}/>
                    <Route path=path!("/network-services/instances") view={Lazy::<pages::ServiceInstancesRoute>::new()}/>
                    <Route path=path!("/network-services/instances/:id") view={Lazy::<pages::ServiceInstanceRoute>::new()}/>
                    <Route path=path!("/network-services/instances/:id/vnfs/:vnf") view={Lazy::<pages::VnfConfigRoute>::new()}/>
                    <Route path=path!("/network-services/:id") view={Lazy::<pages::NetworkServiceRoute>::new()}/>
                    <Route path=path!("/sla/traffic-types") view={Lazy::<pages::TrafficTypesRoute>::new()}/>
                    <Route path=path!("/sla/traffic-types/new") view={Lazy::<pages::NewTrafficTypeRoute>::new()}/>
                    <Route path=path!("/sla/traffic-types/:id") view={Lazy::<pages::TrafficTypeRoute>::new()}/>
                    <Route path=path!("/sla/profiles") view={Lazy::<pages::SlaProfilesRoute>::new()}/>
                    <Route path=path!("/sla/profiles/new") view={Lazy::<pages::NewSlaProfileRoute>::new()}/>
                    <Route path=path!("/sla/profiles/:id") view={Lazy::<pages::SlaProfileRoute>::new()}/>
                    <Route path=path!("/sla/performance") view={Lazy::<pages::SlaPerformanceRoute>::new()}/>
                    <Route path=path!("/sla/performance/tenants/:id") view={Lazy::<pages::TenantSlaRoute>::new()}/>
                    <Route path=path!("/sla/performance/tenants/:id/applications/:name") view={Lazy::<pages::AppSlaRoute>::new()}/>
                    <Route path=path!("/sla/performance/sites/:id") view={Lazy::<pages::SiteSlaRoute>::new()}/>
                    // Designer Tools routes its own pages (designer::DesignerPages): one lazy route
                    // instead of seven keeps the first page load's wasm within its budget.
                    <Route path=path!("/designer/*rest") view={Lazy::<pages::DesignerRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Every page but the two of the first visit (sign-in and home) is a lazy route: its view, and the
/// code only it uses, is a separate wasm chunk the browser fetches the first time the page is shown
/// (`make site` splits the wasm at these points). The sign-in page, home, the portal frame and
/// what they share stay in the main module, which is all a first visit downloads.
mod pages {
    use leptos::prelude::*;

    macro_rules! lazy_pages {
        ($($route:ident => $module:ident :: $page:ident),* $(,)?) => {
            $(
                pub struct $route;

                #[leptos_router::lazy_route]
                impl leptos_router::LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }

                    fn view(_this: Self) -> AnyView {
                        crate::$module::$page().into_any()
                    }
                }
            )*
        };
    }

    lazy_pages! {
        ChangePasswordRoute => auth::ChangePasswordPage,
        ForgotPasswordRoute => auth::ForgotPasswordPage,
        ResetPasswordRoute => auth::ResetPasswordPage,
        ScopeRoute => portal::ScopePage,
        SignInsRoute => activity::SignInsPage,
        TenantsRoute => tenants::TenantsPage,
        NewTenantRoute => tenants::NewTenantPage,
        TenantRoute => tenants::TenantPage,
        DeleteTenantRoute => tenants::DeleteTenantPage,
        OpcosRoute => opcos::OpcosPage,
        NewOpcoRoute => opcos::NewOpcoPage,
        OpcoRoute => opcos::OpcoPage,
        DeleteOpcoRoute => opcos::DeleteOpcoPage,
        UsersRoute => users::UsersPage,
        NewUserRoute => users::NewUserPage,
        UserRoute => users::UserPage,
        DeleteUserRoute => users::DeleteUserPage,
        RolesRoute => roles::RolesPage,
        NewRoleRoute => roles::NewRolePage,
        BuiltinRoleRoute => roles::BuiltinRolePage,
        RoleRoute => roles::RolePage,
        PopsRoute => pops::PopsPage,
        NewPopRoute => pops::NewPopPage,
        PopRoute => pops::PopPage,
        EditPopRoute => pops::EditPopPage,
        DeletePopRoute => pops::DeletePopPage,
        VimsRoute => vims::VimsPage,
        NewVimRoute => vims::NewVimPage,
        VimRoute => vims::VimPage,
        DeleteVimRoute => vims::DeleteVimPage,
        EmsListRoute => ems::EmsListPage,
        NewEmsRoute => ems::NewEmsPage,
        EmsRoute => ems::EmsPage,
        EmsPasswordRoute => ems::EmsPasswordPage,
        DeleteEmsRoute => ems::DeleteEmsPage,
        RoutersRoute => routers::RoutersPage,
        NewRouterRoute => routers::NewRouterPage,
        RouterRoute => routers::RouterPage,
        DeleteRouterRoute => routers::DeleteRouterPage,
        ImportsRoute => imports::ImportsPage,
        NewImportRoute => imports::NewImportPage,
        ImportRoute => imports::ImportPage,
        DeletionsRoute => deletions::DeletionsPage,
        DeletionRoute => deletions::DeletionPage,
        SitesRoute => sites::SitesPage,
        NewSiteRoute => sites::NewSitePage,
        SiteRoute => sites::SitePage,
        DeleteSiteRoute => sites::DeleteSitePage,
        DepartmentsRoute => departments::DepartmentsPage,
        TenantDevicesRoute => devices::TenantDevicesPage,
        DeviceRoute => devices::DevicePage,
        RebootDeviceRoute => devices::RebootDevicePage,
        CloudHubDevicesRoute => devices::CloudHubDevicesPage,
        NewCloudHubRoute => devices::NewCloudHubPage,
        CloudHubActivationLogsRoute => devices::CloudHubActivationLogsPage,
        TenantActivationLogsRoute => devices::TenantActivationLogsPage,
        OamNetworkRoute => devices::OamNetworkPage,
        SimulatorRoute => simulator::SimulatorPage,
        AlarmsRoute => alarms::AlarmsPage,
        AlarmRoute => alarms::AlarmPage,
        AlertsRoute => alerts::AlertsPage,
        NewAlertRoute => alerts::NewAlertPage,
        AlertRoute => alerts::AlertPage,
        WebhooksRoute => alerts::WebhooksPage,
        MaintenanceRoute => alerts::MaintenancePage,
        EventsRoute => alarms::EventsPage,
        DeviceTemplatesRoute => device_templates::DeviceTemplatesPage,
        NewDeviceTemplateRoute => device_templates::NewDeviceTemplatePage,
        DeviceTemplateRoute => device_templates::DeviceTemplatePage,
        TemplatePreviewRoute => device_templates::TemplatePreviewPage,
        ImagesRoute => images::ImagesPage,
        UploadImageRoute => images::UploadImagePage,
        JobsRoute => jobs::JobsPage,
        JobRoute => jobs::JobPage,
        AuditRoute => audit::AuditPage,
        AccountRoute => account::AccountPage,
        AuthSettingsRoute => settings::AuthSettingsPage,
        OutboxRoute => outbox::OutboxPage,
        TrafficTypesRoute => sla::TrafficTypesPage,
        NewTrafficTypeRoute => sla::TrafficTypePage,
        TrafficTypeRoute => sla::TrafficTypePage,
        SlaProfilesRoute => sla::SlaProfilesPage,
        NewSlaProfileRoute => sla::SlaProfilePage,
        SlaProfileRoute => sla::SlaProfilePage,
        SlaPerformanceRoute => sla::SlaPerformancePage,
        TenantSlaRoute => sla::TenantSlaPage,
        AppSlaRoute => sla::AppSlaPage,
        SiteSlaRoute => sla::SiteSlaPage,
        DesignerRoute => designer::DesignerPages,
        NetworkServicesRoute => network_services::NetworkServicesPage,
        NetworkServiceRoute => network_services::NetworkServicePage,
        ServiceInstancesRoute => network_services::ServiceInstancesPage,
        ServiceInstanceRoute => network_services::ServiceInstancePage,
        VnfConfigRoute => network_services::VnfConfigPage,
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
    // Lazy routes (every page but sign-in and home) need the hydration that waits for their chunks.
    leptos::mount::hydrate_lazy(App);
}
