//! The access matrix: every server function × every built-in role × a target in the actor's own
//! tenant (or OpCo) and one in a foreign one → allowed or denied, over HTTP against the real server.
//!
//! "Allowed" means the call got past authorisation: any answer but 401, 403 or 404. Mutations are
//! called with arguments that fail validation *after* the permission and scope checks (an empty
//! name, a wrong confirmation), so an allowed call answers 422/409 and changes nothing. A server
//! function that exists but is missing from the table fails the test.

use std::collections::BTreeSet;

use reqwest::header::ACCEPT;
use reqwest::{Client, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, Statement};
use secrecy::SecretString;

use domain::alarms::{NewAlarm, Severity};
use domain::device_templates::TemplateInput;
use domain::devices::entity::device_job;
use domain::devices::CloudHubInput;
use domain::images::ImageUpload;
use domain::infrastructure::ems::{self, EmsInput};
use domain::infrastructure::pops::{self, PopInput};
use domain::infrastructure::routers::{self, RouterInput};
use domain::infrastructure::vims::{self, VimInput};
use domain::infrastructure::{deletions, import};
use domain::opcos::OpcoInput;
use domain::secrets::SecretKey;
use domain::roles::RoleInput;
use domain::sites::{DepartmentInput, DeviceSlotInput, LanSegmentInput, SiteInput, WanLinkInput};
use domain::tenants::TenantInput;
use domain::users::UserInput;
use domain::{Actor, Home};

const ADMIN_PASSWORD: &str = "Initial-Password-1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum R {
    SA,
    SO,
    OA,
    OO,
    TA,
    TO,
    DE,
    /// Custom roles holding every right of the matrix: of the service provider's level, of an
    /// operating company's (a user of `acme`) and of a tenant's (a user of `own-tenant`). The OpCo
    /// and tenant ones are written straight into the database, as the role editor refuses them: they
    /// stand for a role stored before the editor did, and show that a role never reaches beyond its
    /// holder's scope or changes what is owned above it, whatever it says.
    CS,
    CO,
    CT,
}
use R::*;

const ALL: &[R] = &[SA, SO, OA, OO, TA, TO, DE, CS, CO, CT];
const NONE: &[R] = &[];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Own,
    Foreign,
}

/// Ids of what the calls point at.
struct Fixture {
    tenant: [i64; 2],
    tenant_name: [String; 2],
    opco: [i64; 2],
    victim: [i64; 2],
    custom_role: i64,
    foreign_session_handle: String,
    pop: [i64; 2],
    vim: [i64; 2],
    ems: [i64; 2],
    router: [i64; 2],
    import: [i64; 2],
    job: [i64; 2],
    deletion: [i64; 2],
    site: [i64; 2],
    /// The CPE of each tenant's site.
    device: [i64; 2],
    /// A cloud hub device in each OpCo's POP.
    hub: [i64; 2],
    department: [i64; 2],
    alarm: [i64; 2],
    /// An SLA profile of each tenant.
    sla_profile: [i64; 2],
    /// The predefined Voice-Video traffic type and CSO-AV profile: the service provider's.
    traffic_type: i64,
    sla_predefined: i64,
    /// The service provider's: one for both targets.
    template: i64,
    image: i64,
    /// An alert definition, a webhook target and a maintenance window (in force, on the site) of
    /// each tenant.
    alert: [i64; 2],
    webhook: [i64; 2],
    window: [i64; 2],
    /// A configuration template (another design uses it) and a design request: the SP's.
    design: i64,
    request: i64,
    /// A VNF manager that serves the predefined vSRX package.
    manager: i64,
    /// A published network service allocated to each tenant, and the design of the first.
    service: [i64; 2],
    service_design: i64,
    /// An instance of each tenant's service for its site, and its (first) VNF.
    instance: [i64; 2],
    vnf: [i64; 2],
}

impl Fixture {
    fn i(&self, t: Target) -> usize {
        match t {
            Target::Own => 0,
            Target::Foreign => 1,
        }
    }
}

/// One row of the table: the endpoint, its arguments for a target, and who may call it for the own
/// target and for the foreign one (`None` when the function names no object).
struct Case {
    endpoint: &'static str,
    args: fn(&Fixture, Target) -> Vec<(&'static str, String)>,
    own: &'static [R],
    foreign: Option<&'static [R]>,
}

fn none(_: &Fixture, _: Target) -> Vec<(&'static str, String)> {
    Vec::new()
}

macro_rules! case {
    ($ep:literal, $args:expr, $own:expr) => {
        Case { endpoint: $ep, args: $args, own: $own, foreign: None }
    };
    ($ep:literal, $args:expr, $own:expr, $foreign:expr) => {
        Case { endpoint: $ep, args: $args, own: $own, foreign: Some($foreign) }
    };
}

fn tenant_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.tenant[f.i(t)].to_string())]
}
fn opco_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.opco[f.i(t)].to_string())]
}
fn victim_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.victim[f.i(t)].to_string())]
}
fn pop_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.pop[f.i(t)].to_string())]
}
fn vim_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.vim[f.i(t)].to_string())]
}
fn ems_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.ems[f.i(t)].to_string())]
}
fn router_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.router[f.i(t)].to_string())]
}
fn import_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.import[f.i(t)].to_string())]
}
fn job_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.job[f.i(t)].to_string())]
}
fn role_id(f: &Fixture, _: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.custom_role.to_string())]
}
fn site_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.site[f.i(t)].to_string())]
}
fn device_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.device[f.i(t)].to_string())]
}
fn department_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.department[f.i(t)].to_string())]
}
fn alarm_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.alarm[f.i(t)].to_string())]
}
fn alert_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.alert[f.i(t)].to_string())]
}
fn webhook_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.webhook[f.i(t)].to_string())]
}
fn window_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.window[f.i(t)].to_string())]
}
fn template_id(f: &Fixture, _: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.template.to_string())]
}
fn image_id(f: &Fixture, _: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.image.to_string())]
}
fn service_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.service[f.i(t)].to_string())]
}

fn instance_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.instance[f.i(t)].to_string())]
}

fn vnf_id(f: &Fixture, t: Target) -> Vec<(&'static str, String)> {
    vec![("vnf", f.vnf[f.i(t)].to_string())]
}

fn design_id(f: &Fixture, _: Target) -> Vec<(&'static str, String)> {
    vec![("id", f.design.to_string())]
}

/// Protected server functions. Public ones (sign-in and password recovery) are checked separately.
fn table() -> Vec<Case> {
    vec![
        // The dashboard: everyone has one, each widget scoped by the caller's rights; a widget the
        // caller's role does not offer is refused (422) after the sign-in check.
        case!("dashboard", none, ALL),
        case!("dashboard_widget", |_, _| vec![("key", "active_alarms".into())], ALL),
        // A layout with an unknown widget: an allowed call is refused (422).
        case!("save_dashboard", |_, _| vec![("tiles", "[{\"widget\":\"moon\",\"x\":0,\"y\":0,\"w\":3,\"h\":2}]".into()), ("range", "24h".into()), ("refresh_s", "30".into())], ALL),
        case!("reset_dashboard", none, ALL),
        case!("extend_session", none, ALL),
        // Every signed-in user keeps their own column choice; nobody else's can be named.
        case!("save_hidden_columns", |_, _| vec![("table", "vims".into()), ("hidden", "region".into())], ALL),
        case!("account_overview", none, ALL),
        case!("change_password", |_, _| vec![("current_password", "wrong".into()), ("new_password", "x".into()), ("confirm_password", "x".into())], ALL),
        case!("end_session", |f, _| vec![("handle", f.foreign_session_handle.clone())], NONE),
        case!("tenant_form_choices", none, ALL),
        case!("sign_in_history", none, &[SA, SO, CS]),
        case!("sign_in_chart", none, &[SA, SO, CS]),
        case!("scope_choices", |_, _| vec![("search", String::new())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("list_tenants", |_, _| vec![("search", String::new()), ("page", "0".into())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("get_tenant", tenant_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!("tenant_dependents", tenant_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!(
            "create_tenant",
            |_, _| vec![("name", String::new()), ("display_name", "x".into()), ("description", String::new()), ("deployment_type", "sdwan".into()), ("site_limit", "1".into())],
            &[SA, OA, CS, CO]
        ),
        case!(
            "update_tenant",
            |f, t| vec![("id", f.tenant[f.i(t)].to_string()), ("display_name", String::new()), ("description", String::new()), ("deployment_type", "sdwan".into()), ("site_limit", "1".into())],
            &[SA, OA, CS, CO],
            &[SA, CS]
        ),
        case!("delete_tenant", |f, t| vec![("id", f.tenant[f.i(t)].to_string()), ("confirm_name", "not-the-name".into())], &[SA, OA, CS, CO], &[SA, CS]),
        case!("list_opcos", none, &[SA, SO, OA, OO, CS, CO]),
        case!("get_opco", opco_id, &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        case!("opco_dependents", opco_id, &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        case!("create_opco", |_, _| vec![("name", String::new()), ("display_name", "x".into())], &[SA, CS]),
        case!("update_opco", |f, t| vec![("id", f.opco[f.i(t)].to_string()), ("display_name", String::new())], &[SA, CS], &[SA, CS]),
        // Both OpCos own a tenant, so an allowed delete is refused (409) and nothing goes.
        case!("delete_opco", opco_id, &[SA, CS], &[SA, CS]),
        case!("list_roles", none, &[SA, SO, OA, OO, TA, CS, CO, CT]),
        case!("get_builtin_role", |_, _| vec![("key", "tenant_admin".into())], &[SA, SO, OA, OO, TA, CS, CO, CT]),
        case!("get_role", role_id, &[SA, SO, OA, OO, TA, CS, CO, CT]),
        case!("role_matrix", none, &[SA, CS]),
        case!("create_role", |_, _| vec![("name", String::new()), ("description", String::new()), ("level", "tenant".into())], &[SA, CS]),
        case!("update_role", |f, _| vec![("id", f.custom_role.to_string()), ("name", String::new()), ("description", String::new()), ("level", "tenant".into())], &[SA, CS]),
        // Held by a user, so an allowed delete is refused (409).
        case!("delete_role", role_id, &[SA, CS]),
        case!("list_users", |_, _| vec![("search", String::new()), ("page", "0".into())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("get_user", victim_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!("user_form_choices", none, &[SA, OA, TA, CS, CO, CT]),
        case!("create_user", |_, _| vec![("username", String::new()), ("display_name", "x".into()), ("email", String::new()), ("role", "tenant_operator".into())], &[SA, OA, TA, CS, CO, CT]),
        case!("update_user", |f, t| vec![("id", f.victim[f.i(t)].to_string()), ("display_name", String::new()), ("email", String::new()), ("role", "tenant_operator".into())], &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("set_user_disabled", |f, t| vec![("id", f.victim[f.i(t)].to_string()), ("disabled", "false".into())], &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("reset_user_password", victim_id, &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("unlock_user", victim_id, &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("user_delete_info", victim_id, &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        // Calls point at a user made for each call (see `fresh_victim`), since an allowed delete deletes.
        case!("delete_user", victim_id, &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("audit_entries", |_, _| vec![("from", String::new()), ("to", String::new()), ("user", String::new()), ("action", String::new()), ("object_type", String::new()), ("outcome", String::new())], &[SA, SO, OA, OO, TA, CS, CO, CT]),
        case!("audit_filter_options", none, &[SA, SO, OA, OO, TA, CS, CO, CT]),
        case!("get_auth_settings", none, &[SA, SO, OA, TA, CS, CO, CT]),
        case!(
            "update_auth_policy",
            |_, _| ["min_length", "password_max_age_days", "history_count", "lockout_attempts", "lockout_window_minutes", "lockout_minutes"].into_iter().map(|k| (k, "x".to_string())).collect(),
            &[SA, CS]
        ),
        case!("update_own_password_duration", |_, _| vec![("own_max_age", "not-a-number".into())], &[SA, OA, TA, CS, CO, CT]),
        case!("outbox_messages", none, &[SA, SO, CS]),
        // Infrastructure: SP users see every POP, OpCo users their OpCo's; only the SP administrator
        // changes them. VIMs, EMS and routers need the Infrastructure right, which OpCo operators lack.
        case!("list_pops", |_, _| vec![("q", String::new()), ("sort", String::new()), ("dir", String::new()), ("page", "0".into())], &[SA, SO, OA, OO, CS, CO]),
        case!("get_pop", pop_id, &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        case!("pop_form_options", none, &[SA, SO, OA, OO, CS, CO]),
        case!("create_pop", |_, _| vec![("name", String::new())], &[SA, CS, CO]),
        case!("update_pop", |f, t| vec![("id", f.pop[f.i(t)].to_string()), ("city", String::new())], &[SA, CS, CO], &[SA, CS]),
        case!("pop_dependents", pop_id, &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        // The POPs hold a cloud hub device, so an allowed delete is refused (409) and nothing goes.
        case!("delete_pop", |f, t| vec![("id", f.pop[f.i(t)].to_string()), ("confirm_name", "not-the-name".into())], &[SA, CS, CO], &[SA, CS]),
        case!("list_vims", |_, _| vec![("q", String::new()), ("pop", "0".into()), ("page", "0".into())], &[SA, SO, OA, CS, CO]),
        case!("vim_detail", vim_id, &[SA, SO, OA, CS, CO], &[SA, SO, CS]),
        case!("vim_form_options", none, &[SA, CS, CO]),
        case!("create_vim", |f, _| vec![("pop", f.pop[0].to_string()), ("name", String::new()), ("vim_type", "openstack".into()), ("auth_url", "x".into()), ("username", "u".into()), ("password", "p".into())], &[SA, CS, CO]),
        case!("update_vim", |f, t| vec![("id", f.vim[f.i(t)].to_string()), ("pop", f.pop[f.i(t)].to_string()), ("vim_type", "openstack".into()), ("auth_url", "not a url".into()), ("username", "u".into())], &[SA, CS, CO], &[SA, CS]),
        // Calls point at a VIM (EMS, router) made for each call: an allowed delete deletes.
        case!("test_vim_connection", vim_id, &[SA, CS, CO], &[SA, CS]),
        case!("delete_vim", vim_id, &[SA, CS, CO], &[SA, CS]),
        case!("list_ems", |_, _| vec![("q", String::new()), ("pop", "0".into()), ("page", "0".into())], &[SA, SO, OA, CS, CO]),
        case!("ems_detail", ems_id, &[SA, SO, OA, CS, CO], &[SA, SO, CS]),
        case!("ems_form_options", none, &[SA, CS, CO]),
        case!("create_ems", |f, _| vec![("pop", f.pop[0].to_string()), ("name", String::new()), ("management_address", "192.0.2.1".into()), ("username", "u".into()), ("password", "p".into())], &[SA, CS, CO]),
        case!("update_ems", |f, t| vec![("id", f.ems[f.i(t)].to_string()), ("pop", f.pop[f.i(t)].to_string()), ("management_address", "not an address".into()), ("username", "u".into())], &[SA, CS, CO], &[SA, CS]),
        case!("change_ems_password", |f, t| vec![("id", f.ems[f.i(t)].to_string()), ("current", "wrong".into()), ("new", "New-Pass-123".into()), ("confirm", "New-Pass-123".into())], &[SA, CS, CO], &[SA, CS]),
        case!("delete_ems", ems_id, &[SA, CS, CO], &[SA, CS]),
        case!("list_routers", |_, _| vec![("q", String::new()), ("pop", "0".into()), ("page", "0".into())], &[SA, SO, OA, CS, CO]),
        case!("router_detail", router_id, &[SA, SO, OA, CS, CO], &[SA, SO, CS]),
        case!("router_form_options", none, &[SA, CS, CO]),
        case!("create_router", |f, _| vec![("pop", f.pop[0].to_string()), ("name", String::new()), ("role", "pe".into()), ("management_address", "x".into()), ("loopback", "x".into()), ("asn", "x".into())], &[SA, CS, CO]),
        case!("update_router", |f, t| vec![("id", f.router[f.i(t)].to_string()), ("pop", f.pop[f.i(t)].to_string()), ("role", "pe".into()), ("management_address", "x".into()), ("loopback", "x".into()), ("asn", "0".into())], &[SA, CS, CO], &[SA, CS]),
        case!("delete_router", router_id, &[SA, CS, CO], &[SA, CS]),
        case!("list_deletions", |_, _| vec![("object_type", String::new()), ("q", String::new()), ("page", "0".into())], &[SA, SO, OA, OO, CS, CO]),
        case!("deletion_detail", |f, t| vec![("id", f.deletion[f.i(t)].to_string())], &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        case!("list_imports", |_, _| vec![("page", "0".into())], &[SA, SO, OA, OO, CS, CO]),
        case!("import_detail", import_id, &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        case!("import_status", import_id, &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        // A finished import, not a dry run: an allowed call is refused (409) and queues nothing.
        case!("import_checked_file", import_id, &[SA, CS, CO], &[SA, CS]),
        case!("import_format_help", none, ALL),
        case!("list_jobs", |_, _| vec![("kind", String::new()), ("state", String::new()), ("user", String::new()), ("page", "0".into())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("jobs_progress", |f, _| vec![("ids", format!("{},{}", f.job[0], f.job[1]))], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("job_detail", job_id, &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        // Finished jobs: an allowed cancel or retry is refused (409).
        case!("cancel_job", job_id, &[SA, CS, CO], &[SA, CS]),
        case!("retry_job", job_id, &[SA, CS, CO], &[SA, CS]),
        // Sites, departments, devices and alarms belong to a tenant and follow the tenant scope; the
        // designer sees none of them.
        case!("list_sites", |_, _| vec![("q", String::new()), ("page", "0".into())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("site_form_choices", none, &[SA, OA, TA, CS, CO, CT]),
        // A tenant user's site always goes to their own tenant, whatever the form names: 422 there too.
        case!("create_site", |f, t| vec![("name", String::new()), ("tenant", f.tenant[f.i(t)].to_string())], &[SA, OA, TA, CS, CO, CT], &[SA, TA, CS, CT]),
        case!("site_detail", site_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!("site_live", site_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        // Activating needs Devices Operate, which tenant operators lack. The site's device has a job
        // queued that no worker runs (see `tenant_sites`), so an allowed activation is refused (409).
        case!("activate_site", site_id, &[SA, SO, OA, OO, TA, CS, CO, CT], &[SA, SO, CS]),
        case!("delete_site", |f, t| vec![("id", f.site[f.i(t)].to_string()), ("confirm_name", "not-the-name".into())], &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("list_departments", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        // Both tenants have a department "finance": an allowed create is refused (422) after the
        // tenant is checked. A tenant user's goes to their own tenant, whatever the form names.
        case!("create_department", |f, t| vec![("name", "finance".into()), ("tenant", f.tenant[f.i(t)].to_string())], &[SA, OA, TA, CS, CO, CT], &[SA, TA, CS, CT]),
        // The site's LAN segment uses it, so an allowed delete is refused (409).
        case!("delete_department", department_id, &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("device_list", |_, _| vec![("role", String::new())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("device_detail", device_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!("device_live", device_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!("activation_logs", |_, _| vec![("role", "cpe".into())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        // Cloud hub devices are the service provider's own: only its administrator adds them.
        case!("cloud_hub_form_options", none, &[SA, CS]),
        case!("create_cloud_hub_device", |_, _| vec![("name", String::new()), ("serial", String::new()), ("junos_version", String::new())], &[SA, CS]),
        // Busy with a job no worker runs: an allowed activation is refused (409).
        case!("activate_device", device_id, &[SA, SO, OA, OO, TA, CS, CO, CT], &[SA, SO, CS]),
        // Never activated: an allowed reboot is refused (409).
        case!("reboot_device", device_id, &[SA, SO, OA, OO, TA, CS, CO, CT], &[SA, SO, CS]),
        // The cloud hub device in the OpCo's POP, never activated (409). OpCo users see their POPs'
        // hubs; tenant users see no hub at all.
        case!("upgrade_device", |f, t| vec![("id", f.hub[f.i(t)].to_string()), ("image", f.image.to_string())], &[SA, SO, OA, OO, CS, CO], &[SA, SO, CS]),
        case!("list_alarms", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        // Acknowledged at set-up: an allowed acknowledgement is refused (409).
        case!("acknowledge_alarm", alarm_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!("list_events", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        // The first allowed call withdraws the acknowledgement (200), later ones are refused (409).
        case!("unacknowledge_alarm", alarm_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        // A device-down alarm clears itself: an allowed clear is refused (409).
        case!("clear_alarm", alarm_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        // A comment over 1,000 characters: an allowed call is refused (422). Alarms the caller may
        // not see are skipped, never named, so there is no foreign target to tell apart.
        case!("acknowledge_alarms", |_, _| vec![("pick[1]", "on".into()), ("comment", "x".repeat(1001)), ("back", "/alarms".into())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("alarm_detail", alarm_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        // Alert definitions, webhooks and windows: the SP's users reach every owner's, an OpCo's its
        // own and its tenants', a tenant's its own. Operators read; administrators change.
        case!("list_alerts", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("alert_form_choices", none, &[SA, OA, TA, CS, CO, CT]),
        case!("alert_detail", alert_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        // Without an id it creates, with one it changes: an empty name is refused (422) either way,
        // after the definition is found in the caller's reach.
        case!("save_alert", |f, t| vec![("id", f.alert[f.i(t)].to_string()), ("name", String::new())], &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        // Calls point at a definition (webhook) made for each call: an allowed delete deletes.
        case!("delete_alert", alert_id, &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("list_webhooks", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("create_webhook", |_, _| vec![("name", String::new()), ("url", "https://hooks.example.net/x".into())], &[SA, OA, TA, CS, CO, CT]),
        case!("delete_webhook", webhook_id, &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        case!("list_maintenance", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        // No end time: an allowed call is refused (422).
        case!("create_maintenance", |f, t| vec![("target", format!("site:{}", f.site[f.i(t)])), ("ends_at", String::new())], &[SA, OA, TA, CS, CO, CT]),
        // The first allowed call ends the window (200), later ones are refused (409).
        case!("end_maintenance", window_id, &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        // Device templates and software images are the service provider's, one of each for both
        // targets. Designers write templates; OpCo administrators only read them.
        case!("list_device_templates", none, &[SA, SO, OA, DE, CS, CO, CT]),
        case!("device_template_detail", template_id, &[SA, SO, OA, DE, CS, CO, CT]),
        case!("create_device_template", |_, _| vec![("name", String::new())], &[SA, DE, CS]),
        case!("update_device_template", |f, _| vec![("id", f.template.to_string()), ("name", String::new())], &[SA, DE, CS]),
        // The sites use it, so an allowed delete is refused (409).
        case!("delete_device_template", template_id, &[SA, DE, CS]),
        case!("new_device_template_choices", none, &[SA, SO, OA, DE, CS, CO, CT]),
        // No site using it is activated, so an allowed redeploy has nothing to do (409).
        case!("redeploy_device_template", template_id, &[SA, DE, CS]),
        // Rendered for the target's device. Designers may not see devices (403). Another tenant's
        // device is refused inside the answer, "Device not found." as for one that does not exist,
        // so an OpCo administrator's call succeeds (200) without rendering anything.
        case!(
            "device_template_preview",
            |f, t| vec![("id", f.template.to_string()), ("device", f.device[f.i(t)].to_string())],
            &[SA, SO, OA, CS, CO, CT],
            &[SA, SO, OA, CS, CO, CT]
        ),
        case!("list_images", none, &[SA, SO, OA, DE, CS, CO, CT]),
        // The sites use it, so an allowed delete is refused (409).
        case!("delete_image", image_id, &[SA, CS]),
        // The upload size limit, for whoever may see the images.
        case!("image_limits", none, &[SA, SO, OA, DE, CS, CO, CT]),
        // A lab tool for the service provider's staff with Devices Operate. This server has no
        // simulator: the state says so (200) and an injection is refused (409).
        case!("simulator_state", none, &[SA, SO, CS]),
        // Application SLA. Traffic types are the service provider's: only its administrators change
        // them. An empty name is refused (422) after the checks; enabling an enabled one changes
        // nothing; Voice-Video is used by CSO-AV, so an allowed delete is refused (409).
        case!("list_traffic_types", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("traffic_type_detail", |f, _| vec![("id", f.traffic_type.to_string())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("create_traffic_type", |_, _| vec![("name", String::new())], &[SA, CS]),
        case!("update_traffic_type", |f, _| vec![("id", f.traffic_type.to_string()), ("name", String::new())], &[SA, CS]),
        case!("set_traffic_type_enabled", |f, _| vec![("id", f.traffic_type.to_string()), ("enabled", "true".into())], &[SA, CS]),
        case!("delete_traffic_type", |f, _| vec![("id", f.traffic_type.to_string())], &[SA, CS]),
        // SLA profiles: the SP's are read by all and changed by the SP; a tenant's follow the tenant
        // scope. A tenant user's new profile is its own tenant's, whatever the form names.
        case!("list_sla_profiles", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("sla_profile_detail", |f, t| vec![("id", f.sla_profile[f.i(t)].to_string())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!("create_sla_profile", |f, t| vec![("name", String::new()), ("tenant", f.tenant[f.i(t)].to_string())], &[SA, OA, TA, CS, CO, CT], &[SA, TA, CS, CT]),
        case!("update_sla_profile", |f, t| vec![("id", f.sla_profile[f.i(t)].to_string()), ("name", String::new())], &[SA, OA, TA, CS, CO, CT], &[SA, CS]),
        // CSO-AV is predefined: an allowed delete is refused (409); nobody below the SP may delete it.
        case!("delete_sla_profile", |f, _| vec![("id", f.sla_predefined.to_string())], &[SA, CS]),
        case!("simulator_inject", |_, _| vec![("serial", "CV0000000001".into()), ("fault", "node-down".into())], &[SA, SO, CS]),
        // SLA performance follows the sites: whoever may see a tenant's sites sees their scores;
        // another tenant's tenant or site page is "not found".
        case!("sla_overview", none, &[SA, SO, OA, OO, TA, TO, CS, CO, CT]),
        case!("sla_tenant", tenant_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!("sla_site", site_id, &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        case!(
            "sla_application",
            |f, t| vec![("tenant", f.tenant[f.i(t)].to_string()), ("name", "CSO_Collaboration_AV".into())],
            &[SA, SO, OA, OO, TA, TO, CS, CO, CT],
            &[SA, SO, CS]
        ),
        case!("sla_explain", |f, t| vec![("site", f.site[f.i(t)].to_string()), ("what", "site".into())], &[SA, SO, OA, OO, TA, TO, CS, CO, CT], &[SA, SO, CS]),
        // Designer Tools: the service provider's alone. Its operators read; designers and
        // administrators change; a custom role of an OpCo or a tenant reaches nothing, whatever it
        // says. One design and one request for both targets.
        case!("list_designs", |_, _| vec![("tool", "config".into())], &[SA, SO, DE, CS]),
        // From YANG: the tree is for whoever sees designs; creating needs the right to create
        // (no name here, so an allowed create is answered with the problem, 200).
        case!("yang_designer_start", none, &[SA, SO, DE, CS]),
        case!("yang_designer", |_, _| vec![("step", "create".into()), ("module[ietf-interfaces]", "on".into())], &[SA, DE, CS]),
        case!("list_design_requests", |_, _| vec![("tool", "config".into())], &[SA, SO, DE, CS]),
        // An empty title is refused (422) after the checks.
        case!("save_design_request", |_, _| vec![("tool", "config".into()), ("title", String::new())], &[SA, DE, CS]),
        // Open cannot become Completed: an allowed call is refused (409).
        case!("set_design_request_status", |f, _| vec![("id", f.request.to_string()), ("status", "completed".into())], &[SA, DE, CS]),
        case!("design_form_choices", |_, _| vec![("tool", "config".into())], &[SA, DE, CS]),
        case!("create_design", |_, _| vec![("tool", "config".into()), ("name", String::new()), ("family", "srx".into()), ("source", "set system host-name b".into())], &[SA, DE, CS]),
        case!("design_detail", design_id, &[SA, SO, DE, CS]),
        case!("design_history", design_id, &[SA, SO, DE, CS]),
        // The first allowed caller takes the lock (200); the others are told who holds it (409).
        case!("open_design_editor", design_id, &[SA, DE, CS]),
        // An unknown action is refused (422) after the checks.
        case!("design_editor_action", |f, _| vec![("id", f.design.to_string()), ("op", "nonsense".into())], &[SA, DE, CS]),
        // The fixture design is a template, not a VNF package: an allowed caller is refused (409)
        // after the checks.
        case!("open_package_editor", design_id, &[SA, DE, CS]),
        case!("package_editor_action", |f, _| vec![("id", f.design.to_string()), ("op", "nonsense".into())], &[SA, DE, CS]),
        case!("release_design", design_id, &[SA, DE, CS]),
        // Only the SP administrator breaks another's lock.
        case!("break_design_lock", design_id, &[SA]),
        // A draft: an allowed publish or deprecate is refused (409).
        case!("publish_design", design_id, &[SA, DE, CS]),
        case!("deprecate_design_version", |f, _| vec![("id", f.design.to_string()), ("number", "1".into())], &[SA, DE, CS]),
        case!("clone_design", |f, _| vec![("id", f.design.to_string()), ("number", "1".into()), ("name", String::new())], &[SA, DE, CS]),
        // Another design uses it: an allowed delete is refused (409), naming that design.
        case!("delete_design", design_id, &[SA, DE, CS]),
        case!("import_design", |_, _| vec![("tool", "config".into()), ("bundle", "{}".into())], &[SA, DE, CS]),
        // VNF managers: the same. An empty name is refused (422) after the checks; the fixture
        // manager serves a package, so an allowed delete is refused (409).
        case!("list_vnf_managers", none, &[SA, SO, DE, CS]),
        case!(
            "save_vnf_manager",
            |_, _| vec![("name", String::new()), ("kind", "netconf".into()), ("endpoint", "192.0.2.9".into()), ("username", "x".into()), ("password", "Pass-123".into())],
            &[SA, DE, CS]
        ),
        case!("delete_vnf_manager", |f, _| vec![("id", f.manager.to_string())], &[SA, DE, CS]),
        case!("check_vnf_manager", |f, _| vec![("id", f.manager.to_string())], &[SA, DE, CS]),
        // Network services: the catalogue is SP and OpCo staff's; a tenant's users see what is
        // allocated to their tenant. Allocation is the SP's: an allowed call with no tenant ticked
        // is refused (422). Publishing the fixture's configuration template is refused (422).
        case!("list_network_services", none, &[SA, SO, OA, TA, TO, DE, CS, CO, CT]),
        case!("network_service_overview", service_id, &[SA, SO, OA, TA, TO, DE, CS, CO, CT], &[SA, SO, OA, DE, CS, CO]),
        case!("allocate_network_service", service_id, &[SA, CS], &[SA, CS]),
        case!("remove_network_service", service_id, &[SA, CS], &[SA, CS]),
        // The fixture's design is a configuration template: an allowed call is refused (422).
        case!("validate_service_design", design_id, &[SA, DE, CS]),
        // The Build page: opening takes the lock of the published service's design (the next
        // allowed opener meets it: 409); a body that does not read is refused (422) after the checks.
        case!("open_service_build", |f, _| vec![("id", f.service_design.to_string())], &[SA, DE, CS]),
        case!("check_service_build", |_, _| vec![("body", "{}".into())], &[SA, SO, DE, CS]),
        case!("parse_service_yaml", |_, _| vec![("text", "nodes: [".into())], &[SA, SO, DE, CS]),
        case!("save_service_build", |f, _| vec![("id", f.service_design.to_string()), ("op", "save".into()), ("body", "not json".into())], &[SA, DE, CS]),
        case!("publish_network_service", |f, _| vec![("design_id", f.design.to_string()), ("name", "x".into()), ("service_type", "firewall".into())], &[SA, DE, CS]),
        // Service instances are the tenant's: its users and the staff above it see them; operating
        // them (instantiate, terminate, configure, restart) takes Network services "operate": the
        // tenant administrator's and the service provider's. An allowed instantiation names an
        // invalid instance (422); an allowed termination is not confirmed (422) or meets the
        // fixture's instantiation still running (409); configure and restart meet an instance that
        // is not active (409).
        case!("list_service_instances", none, &[SA, SO, OA, TA, TO, DE, CS, CO, CT]),
        case!("service_instance", instance_id, &[SA, SO, OA, TA, TO, DE, CS, CO, CT], &[SA, SO, DE, CS]),
        case!(
            "instantiate_service",
            |f, t| vec![("service", f.service[f.i(t)].to_string()), ("site", f.site[f.i(t)].to_string()), ("vim", f.vim[f.i(t)].to_string()), ("name", "not a name!".into())],
            &[SA, TA, CS, CT],
            &[SA, CS]
        ),
        case!("terminate_service_instance", instance_id, &[SA, TA, CS, CT], &[SA, CS]),
        case!("vnf_configuration", vnf_id, &[SA, SO, OA, TA, TO, DE, CS, CO, CT], &[SA, SO, DE, CS]),
        case!("configure_vnf", vnf_id, &[SA, TA, CS, CT], &[SA, CS]),
        case!("restart_vnf", vnf_id, &[SA, TA, CS, CT], &[SA, CS]),
    ]
}

/// Functions anyone may call, with the status an anonymous caller gets for these arguments.
fn public() -> Vec<(&'static str, Vec<(&'static str, &'static str)>, StatusCode)> {
    vec![
        ("current_user", vec![], StatusCode::OK),
        ("login", vec![("username", "nobody"), ("password", "wrong-password")], StatusCode::UNAUTHORIZED),
        ("forgot_password", vec![("username", "nobody")], StatusCode::OK),
        ("reset_link_user", vec![("token", "no-such-token")], StatusCode::UNPROCESSABLE_ENTITY),
        ("reset_password", vec![("token", "no-such-token"), ("new_password", "x"), ("confirm_password", "x")], StatusCode::UNPROCESSABLE_ENTITY),
        ("logout", vec![], StatusCode::OK),
    ]
}

/// Needs a signed-in user, but is checked on its own below: it changes the session's scope.
const SCOPE_SWITCH: &str = "switch_scope";

async fn call(http: &Client, base: &str, endpoint: &str, args: &[(&str, String)]) -> StatusCode {
    http.post(format!("{base}/api/{endpoint}")).header(ACCEPT, "application/json").form(args).send().await.expect("POST").status()
}

fn allowed(status: StatusCode) -> bool {
    !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
}

fn tenant(name: &str, opco: &str) -> TenantInput {
    TenantInput { name: name.into(), display_name: name.into(), description: String::new(), deployment_type: "sdwan".into(), site_limit: "5".into(), opco: opco.into(), tenant_type: String::new() }
}

fn user(name: &str, role: &str, tenant: &str, opco: &str) -> UserInput {
    UserInput { username: name.into(), display_name: name.into(), email: String::new(), role: role.into(), tenant: tenant.into(), opco: opco.into(), password_mode: "temporary".into() }
}

async fn sign_in(base: &str, username: &str, password: &str) -> Client {
    let http = Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let status = call(&http, base, "login", &[("username", username.into()), ("password", password.into())]).await;
    assert!(status.is_redirection() || status.is_success(), "{username} signs in: {status}");
    http
}

struct Setup {
    fixture: Fixture,
    clients: Vec<(R, Client)>,
    sp: Actor,
}

async fn setup(db: &domain::DatabaseConnection, server_key: &SecretKey, base: &str) -> Setup {
    let admin = domain::users::find_by_username(db, "admin").await.expect("find").expect("admin");
    let sp = domain::users::actor_for(db, &admin, None, "127.0.0.1").await.expect("actor");
    let acme = domain::opcos::create(db, &sp, OpcoInput { name: "acme".into(), display_name: "Acme".into(), description: String::new() }).await.expect("opco");
    let other = domain::opcos::create(db, &sp, OpcoInput { name: "other".into(), display_name: "Other".into(), description: String::new() }).await.expect("opco");
    let own = domain::tenants::create(db, &sp, tenant("own-tenant", "acme")).await.expect("tenant");
    let foreign = domain::tenants::create(db, &sp, tenant("foreign-tenant", "other")).await.expect("tenant");
    let probe = domain::roles::create(db, &sp, RoleInput { name: "Probe".into(), description: String::new(), level: "tenant".into(), permissions: vec!["sites.view".into()] })
        .await
        .expect("role");

    // Custom roles with every right there is, one per level. The editor takes the SP's; the OpCo's and
    // the tenant's it would refuse, so they are written as a role stored before it did.
    let every = domain::access::builtin(domain::Role::SpAdmin).keys();
    let everything_sp = domain::roles::create(db, &sp, RoleInput { name: "Everything (SP)".into(), description: String::new(), level: "sp".into(), permissions: every.clone() })
        .await
        .expect("SP-level role");
    let mut stored = Vec::new();
    for (name, level) in [("Everything (OpCo)", "opco"), ("Everything (tenant)", "tenant")] {
        let row = domain::roles::entity::ActiveModel {
            name: Set(name.into()),
            description: Set(String::new()),
            level: Set(level.into()),
            permissions: Set(serde_json::to_string(&every).expect("json")),
            created_at: Set(time::OffsetDateTime::now_utc()),
            ..Default::default()
        };
        stored.push(row.insert(db).await.expect("stored role").id);
    }

    let mut passwords = Vec::new();
    let (cs_role, co_role, ct_role) = (format!("custom:{}", everything_sp.id), format!("custom:{}", stored[0]), format!("custom:{}", stored[1]));
    for (r, name, role, t, o) in [
        (SO, "sp-op", "sp_operator", "", ""),
        (OA, "acme-admin", "opco_admin", "", "acme"),
        (OO, "acme-op", "opco_operator", "", "acme"),
        (TA, "own-admin", "tenant_admin", "own-tenant", ""),
        (TO, "own-op", "tenant_operator", "own-tenant", ""),
        (DE, "designer", "designer", "", ""),
        (CS, "sp-custom", cs_role.as_str(), "", ""),
        (CO, "acme-custom", co_role.as_str(), "", "acme"),
        (CT, "own-custom", ct_role.as_str(), "own-tenant", ""),
    ] {
        let created = domain::users::accounts::create(db, &sp, user(name, role, t, o), "http://x").await.expect("user");
        passwords.push((r, name, created.temporary_password.expect("temporary password")));
    }
    let victim_own = domain::users::accounts::create(db, &sp, user("own-victim", "tenant_operator", "own-tenant", ""), "http://x").await.expect("victim");
    let victim_foreign = domain::users::accounts::create(db, &sp, user("foreign-victim", "tenant_operator", "foreign-tenant", ""), "http://x").await.expect("victim");
    domain::users::accounts::create(db, &sp, user("probe-holder", &format!("custom:{}", probe.id), "foreign-tenant", ""), "http://x").await.expect("holder");
    // Skip the forced first change: this test is about permissions, not passwords.
    db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("clear");

    let mut clients = vec![(SA, sign_in(base, "admin", ADMIN_PASSWORD).await)];
    for (r, name, password) in &passwords {
        clients.push((*r, sign_in(base, name, password).await));
    }
    // A session of someone else, whose handle nobody else may use to end it.
    let victim_pw = domain::users::accounts::reset_password(db, &sp, victim_foreign.user.id).await.expect("reset");
    db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("clear");
    sign_in(base, "foreign-victim", &victim_pw).await;
    let foreign_victim = domain::users::find(db, victim_foreign.user.id).await.expect("find").expect("exists");
    let foreign_actor = domain::users::actor_for(db, &foreign_victim, None, "x").await.expect("actor");
    let handle = domain::sessions::list_for(db, &foreign_actor, None).await.expect("sessions").first().map(|s| s.handle.clone()).expect("a session");

    let infra = infrastructure(db, server_key, &sp, acme.id, other.id).await;
    let sites = tenant_sites(db, &sp, [own.id, foreign.id], infra.pop).await;
    let sla = sla_fixture(db, &sp, [own.id, foreign.id]).await;
    let alerts = alerts_fixture(db, [own.id, foreign.id], sites.site).await;
    let (design, request) = designs_fixture(db, &sp).await;
    let manager = {
        use domain::designs::{self, managers, Tool};
        let vsrx = designs::list(db, &sp, Tool::Resource).await.expect("packages").into_iter().find(|s| s.design.name == "vSRX").map(|s| s.design.id).expect("vSRX ships");
        let input = managers::ManagerInput {
            name: "vsrx-netconf".into(),
            kind: "netconf".into(),
            endpoint: "192.0.2.50".into(),
            username: "portico".into(),
            password: "Vnfm-Pass-1".into(),
            serves: vec![vsrx],
        };
        managers::create(db, server_key, &sp, input).await.expect("manager").id
    };

    let (own_service, service_design) = crate::fixtures::published_service(db, &sp, "own-service", "", &[own.id]).await;
    let service = [own_service, crate::fixtures::published_service(db, &sp, "foreign-service", "", &[foreign.id]).await.0];
    let mut instance = [0; 2];
    let mut vnf = [0; 2];
    for i in 0..2 {
        let input = domain::network_services::instances::NewInstance { service_id: service[i], site_id: sites.site[i], vim_id: infra.vim[i], name: format!("instance-{i}") };
        let created = domain::network_services::instances::instantiate(db, &sp, input).await.expect("instance");
        instance[i] = created.id;
        vnf[i] = created.vnfs.first().map(|v| v.id).expect("a VNF");
    }

    Setup {
        fixture: Fixture {
            tenant: [own.id, foreign.id],
            tenant_name: [own.name, foreign.name],
            opco: [acme.id, other.id],
            victim: [victim_own.user.id, victim_foreign.user.id],
            custom_role: probe.id,
            foreign_session_handle: handle,
            pop: infra.pop,
            vim: infra.vim,
            ems: infra.ems,
            router: infra.router,
            import: infra.import,
            job: infra.job,
            deletion: infra.deletion,
            site: sites.site,
            device: sites.device,
            hub: sites.hub,
            department: sites.department,
            alarm: sites.alarm,
            sla_profile: sla.0,
            traffic_type: sla.1,
            sla_predefined: sla.2,
            template: sites.template,
            image: sites.image,
            alert: alerts.0,
            webhook: alerts.1,
            window: alerts.2,
            design,
            request,
            manager,
            service,
            service_design,
            instance,
            vnf,
        },
        clients,
        sp,
    }
}

struct Infra {
    pop: [i64; 2],
    vim: [i64; 2],
    ems: [i64; 2],
    router: [i64; 2],
    import: [i64; 2],
    job: [i64; 2],
    deletion: [i64; 2],
}

fn pop_input(name: &str, opco: &str) -> PopInput {
    PopInput { name: name.into(), city: "Oslo".into(), country: "NO".into(), opco: opco.into(), ..Default::default() }
}

fn vim_input(pop_id: i64, name: &str) -> VimInput {
    VimInput {
        pop_id,
        name: name.into(),
        vim_type: "openstack".into(),
        // Nothing listens there: an allowed "Test connection" is refused at once, not timed out.
        auth_url: "http://127.0.0.1:9/v3".into(),
        username: "cso".into(),
        password: "Vim-Pass-1".into(),
        ..Default::default()
    }
}

fn ems_input(pop_id: i64, name: &str) -> EmsInput {
    EmsInput { pop_id, name: name.into(), management_address: "192.0.2.10".into(), username: "super".into(), password: "Space-Pass-1".into() }
}

fn router_input(pop_id: i64, name: &str) -> RouterInput {
    RouterInput { pop_id, name: name.into(), role: "pe".into(), management_address: "192.0.2.1".into(), loopback: "10.0.0.1".into(), asn: "64512".into(), model: "MX204".into() }
}

/// A POP of each OpCo with a VIM, an EMS and a router in it; an import (and its job) and a deletion
/// record of each OpCo.
async fn infrastructure(db: &domain::DatabaseConnection, server_key: &SecretKey, sp: &Actor, acme: i64, other: i64) -> Infra {
    let key = SecretKey::generate();
    let mut infra = Infra { pop: [0; 2], vim: [0; 2], ems: [0; 2], router: [0; 2], import: [0; 2], job: [0; 2], deletion: [0; 2] };
    for (i, (opco, opco_id)) in [("acme", acme), ("other", other)].into_iter().enumerate() {
        let pop = pops::create(db, sp, pop_input(&format!("{opco}-pop"), opco)).await.expect("pop");
        infra.pop[i] = pop.id;
        infra.vim[i] = vims::create(db, &key, sp, vim_input(pop.id, &format!("{opco}-vim"))).await.expect("vim").id;
        infra.ems[i] = ems::create(db, &key, sp, ems_input(pop.id, &format!("{opco}-ems"))).await.expect("ems").id;
        infra.router[i] = routers::create(db, sp, router_input(pop.id, &format!("{opco}-pe"))).await.expect("router").router.id;
        let gone = routers::create(db, sp, router_input(pop.id, &format!("{opco}-gone"))).await.expect("router").router.id;
        routers::delete(db, sp, gone).await.expect("delete");
        let history = deletions::list(db, sp, &deletions::Filter::default(), 1, 10).await.expect("history");
        infra.deletion[i] = history.rows.iter().find(|d| d.object_name == format!("{opco}-gone")).map(|d| d.id).expect("deletion record");
        // An import filed under the OpCo, as if one of its users with the right had sent it.
        let mut importer = sp.clone();
        importer.home = Home::Opco(opco_id);
        let content = format!("type,name,city,country\npop,{opco}-imported,Bergen,NO\n");
        // Sealed with the server's key: its workers open the file to run the import.
        let summary = import::submit(db, server_key, &importer, import::Upload { file_name: format!("{opco}.csv"), content, dry_run: false }).await.expect("import");
        infra.import[i] = summary.id;
        infra.job[i] = summary.job_id.expect("job");
    }
    // The server's workers run the two imports; wait until both jobs are done.
    for _ in 0..200 {
        let done = domain::jobs::list(db, sp, &domain::jobs::Filter { state: "succeeded".into(), ..Default::default() }, 1, 10).await.expect("jobs").total;
        if done == 2 {
            return infra;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the fixture's import jobs did not finish");
}

struct Sites {
    site: [i64; 2],
    device: [i64; 2],
    hub: [i64; 2],
    department: [i64; 2],
    alarm: [i64; 2],
    template: i64,
    image: i64,
}

fn site_input(name: &str, tenant: &str, serial: &str, template: i64, image: i64) -> SiteInput {
    SiteInput {
        name: name.into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: "none".into(),
        model: "SRX300".into(),
        // The image's release.
        junos_version: String::new(),
        template: template.to_string(),
        image: image.to_string(),
        tenant: tenant.into(),
        wan_links: vec![WanLinkInput { name: "inet".into(), link_type: "internet".into(), bandwidth_mbps: "100".into(), cost: "10".into(), ..Default::default() }],
        lan_segments: vec![LanSegmentInput { name: "office".into(), vlan_id: "10".into(), gateway: "10.1.0.1/24".into(), department: "finance".into() }],
        devices: vec![DeviceSlotInput { name: String::new(), serial: serial.into() }],
        ..Default::default()
    }
}

/// A device template and a software image of the service provider; for each tenant a department, a
/// single-CPE site using all three, and an acknowledged alarm on its CPE; a cloud hub device in each
/// OpCo's POP. Each CPE is kept busy by a queued job of a kind no worker runs, so an activation is
/// refused rather than queued.
async fn tenant_sites(db: &domain::DatabaseConnection, sp: &Actor, tenants: [i64; 2], pops: [i64; 2]) -> Sites {
    let body = "<configuration>\n  <system>\n    <host-name>{{ hostname }}</host-name>\n  </system>\n</configuration>";
    let template = domain::device_templates::create(
        db,
        sp,
        TemplateInput { name: "branch-base".into(), description: String::new(), family: "srx".into(), body: body.into(), parameters: Vec::new(), ..Default::default() },
    )
    .await
    .expect("template")
    .id;
    let upload = ImageUpload {
        file_name: "junos-srxsme-21.4R3-S5.tgz".into(),
        version: "21.4R3-S5".into(),
        family: "srx".into(),
        description: String::new(),
        size_bytes: 1024,
        sha256: "ab".repeat(32),
        expected_sha256: String::new(),
    };
    let image = domain::images::register(db, sp, upload).await.expect("image").id;
    let mut out = Sites { site: [0; 2], device: [0; 2], hub: [0; 2], department: [0; 2], alarm: [0; 2], template, image };
    for (i, (tenant, prefix, opco)) in [("own-tenant", "own", "acme"), ("foreign-tenant", "foreign", "other")].into_iter().enumerate() {
        let dept = DepartmentInput { name: "finance".into(), description: String::new(), tenant: tenant.into() };
        out.department[i] = domain::sites::create_department(db, sp, dept).await.expect("department").id;
        let serial = format!("{prefix}0000001").to_uppercase();
        let site = domain::sites::create(db, sp, site_input(&format!("{prefix}-site"), tenant, &serial, template, image)).await.expect("site");
        out.site[i] = site.id;
        let cpe = domain::sites::get(db, sp, site.id).await.expect("site detail").devices.into_iter().next().expect("a CPE");
        out.device[i] = cpe.id;
        let hold = domain::jobs::NewJob {
            kind: "test.hold",
            title: format!("Hold {}", cpe.name),
            params: serde_json::json!({}),
            steps: Vec::new(),
            tenant_id: Some(tenants[i]),
            opco_id: None,
        };
        let hold = domain::jobs::enqueue(db, sp, hold).await.expect("job");
        device_job::ActiveModel {
            device_id: Set(cpe.id),
            job_id: Set(hold.id),
            kind: Set("activate".into()),
            created_at: Set(time::OffsetDateTime::now_utc()),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("device job");
        let alarm = NewAlarm {
            tenant_id: Some(tenants[i]),
            site_id: Some(site.id),
            device_id: Some(cpe.id),
            kind: "device.unreachable".into(),
            severity: Severity::Major,
            object_type: "device".into(),
            object_name: cpe.name.clone(),
            message: format!("{} stopped answering", cpe.name),
            detail: String::new(),
            definition_id: None,
        };
        let alarm = domain::alarms::raise(db, alarm).await.expect("raise").expect("a new alarm");
        domain::alarms::acknowledge(db, sp, alarm.id, "").await.expect("acknowledge");
        out.alarm[i] = alarm.id;
        let hub = CloudHubInput {
            name: format!("{opco}-hub"),
            serial: format!("{opco}HUB0001").to_uppercase(),
            model: "SRX1500".into(),
            junos_version: "22.2R3-S3".into(),
            pop: pops[i].to_string(),
        };
        out.hub[i] = domain::devices::create_cloud_hub(db, sp, hub).await.expect("cloud hub").id;
    }
    out
}

/// A fresh VIM, EMS or router in the target's POP, for calls that delete their target.
async fn fresh_child(db: &domain::DatabaseConnection, sp: &Actor, f: &mut Fixture, endpoint: &str, t: Target, n: usize) {
    let key = SecretKey::generate();
    let (i, pop) = (f.i(t), f.pop[f.i(t)]);
    let name = format!("doomed-{n}");
    match endpoint {
        "delete_vim" => f.vim[i] = vims::create(db, &key, sp, vim_input(pop, &name)).await.expect("vim").id,
        "delete_ems" => f.ems[i] = ems::create(db, &key, sp, ems_input(pop, &name)).await.expect("ems").id,
        "delete_router" => f.router[i] = routers::create(db, sp, router_input(pop, &name)).await.expect("router").router.id,
        "delete_alert" => f.alert[i] = alert_row(db, f.tenant[i], &name).await,
        "delete_webhook" => f.webhook[i] = webhook_row(db, f.tenant[i], &name).await,
        _ => {}
    }
}

/// A new tenant operator in the target's tenant, for calls that delete their target.
async fn fresh_victim(db: &domain::DatabaseConnection, sp: &Actor, f: &Fixture, t: Target, n: usize) -> i64 {
    let name = format!("doomed-{n}");
    domain::users::accounts::create(db, sp, user(&name, "tenant_operator", &f.tenant_name[f.i(t)], ""), "http://x").await.expect("victim").user.id
}

#[tokio::test]
async fn every_server_function_allows_exactly_the_roles_the_table_says() {
    for t in domain::testing::all().await.expect("test databases") {
        let mut settings = server::Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from(ADMIN_PASSWORD.to_string()));
        let running = server::spawn(settings).await.expect("server starts");
        let base = format!("http://{}", running.addr);
        let Setup { mut fixture, clients, sp } = setup(&running.db, &running.secret_key, &base).await;

        // The table covers every registered server function.
        let registered: BTreeSet<String> = server::server_fn_paths().into_iter().map(|p| p.trim_start_matches("/api/").to_string()).collect();
        let mut covered: BTreeSet<String> = table().iter().map(|c| c.endpoint.to_string()).collect();
        covered.extend(public().iter().map(|(e, _, _)| e.to_string()));
        covered.insert(SCOPE_SWITCH.to_string());
        let missing: Vec<_> = registered.difference(&covered).collect();
        assert!(missing.is_empty(), "server functions missing from the access table: {missing:?}");
        let stale: Vec<_> = covered.difference(&registered).collect();
        assert!(stale.is_empty(), "the access table names functions that do not exist: {stale:?}");

        let anonymous = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let mut failures = Vec::new();
        let mut calls = 0;
        for case in table() {
            let status = call(&anonymous, &base, case.endpoint, &(case.args)(&fixture, Target::Own)).await;
            if status != StatusCode::UNAUTHORIZED {
                failures.push(format!("{} anonymous: {status}, expected 401", case.endpoint));
            }
            let targets: &[(Target, &[R])] = match case.foreign {
                None => &[(Target::Own, case.own)],
                Some(foreign) => &[(Target::Own, case.own), (Target::Foreign, foreign)],
            };
            for (target, expected) in targets {
                for (role, http) in &clients {
                    if case.endpoint == "delete_user" {
                        fixture.victim[fixture.i(*target)] = fresh_victim(&running.db, &sp, &fixture, *target, calls).await;
                    }
                    fresh_child(&running.db, &sp, &mut fixture, case.endpoint, *target, calls).await;
                    let status = call(http, &base, case.endpoint, &(case.args)(&fixture, *target)).await;
                    calls += 1;
                    let want = expected.contains(role);
                    // A 5xx is neither allowed nor denied: the call broke the server.
                    if status.is_server_error() {
                        failures.push(format!("{} {role:?} {target:?}: {status}, a server error", case.endpoint));
                    } else if allowed(status) != want {
                        failures.push(format!("{} {role:?} {target:?}: {status}, expected {}", case.endpoint, if want { "allowed" } else { "denied" }));
                    }
                }
            }
        }
        for (endpoint, args, status) in public() {
            let args: Vec<(&str, String)> = args.into_iter().map(|(k, v)| (k, v.to_string())).collect();
            let got = call(&anonymous, &base, endpoint, &args).await;
            if got != status {
                failures.push(format!("{endpoint} anonymous: {got}, expected {status}"));
            }
        }

        // The scope switch: who may look at which tenant, judged by where the session ends up.
        for (role, http) in &clients {
            for target in [Target::Own, Target::Foreign] {
                let name = fixture.tenant_name[fixture.i(target)].clone();
                let status = call(http, &base, SCOPE_SWITCH, &[("tenant", name.clone()), ("back", "/".into())]).await;
                let me: serde_json::Value = http.post(format!("{base}/api/current_user")).header(ACCEPT, "application/json").send().await.expect("me").json().await.expect("json");
                let switched = me["scope_tenant"].as_str() == Some(name.as_str());
                let want = match (role, target) {
                    (SA | SO | CS, _) | (OA | OO | CO, Target::Own) => true,
                    _ => false,
                };
                if switched != want {
                    failures.push(format!("switch_scope {role:?} {target:?}: {status}, switched={switched}, expected {want}"));
                }
                call(http, &base, SCOPE_SWITCH, &[("tenant", "All tenants".into()), ("back", "/".into())]).await;
            }
        }
        assert!(failures.is_empty(), "{}: {} of {calls} calls disagree with the table:\n{}", t.label, failures.len(), failures.join("\n"));
        println!("{}: {calls} calls agree with the table", t.label);
        running.stop().await;
    }
}

/// An alert definition owned by a tenant, as its administrator would have made it.
async fn alert_row(db: &domain::DatabaseConnection, tenant: i64, name: &str) -> i64 {
    use domain::alerts::entity::definition;
    let now = time::OffsetDateTime::now_utc();
    definition::ActiveModel {
        owner_key: Set(format!("tenant:{tenant}")),
        tenant_id: Set(Some(tenant)),
        opco_id: Set(None),
        name: Set(name.into()),
        description: Set(String::new()),
        enabled: Set(true),
        scope_kind: Set("all".into()),
        scope_id: Set(None),
        metric: Set("link_rtt".into()),
        comparator: Set(">".into()),
        threshold: Set(150.0),
        clear_threshold: Set(None),
        for_s: Set(300),
        no_data: Set("keep".into()),
        severity: Set("major".into()),
        emails: Set(String::new()),
        renotify_s: Set(0),
        created_by: Set("test".into()),
        created_at: Set(now),
        updated_by: Set("test".into()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("alert definition")
    .id
}

async fn webhook_row(db: &domain::DatabaseConnection, tenant: i64, name: &str) -> i64 {
    use domain::alerts::entity::webhook;
    webhook::ActiveModel {
        owner_key: Set(format!("tenant:{tenant}")),
        tenant_id: Set(Some(tenant)),
        opco_id: Set(None),
        name: Set(name.into()),
        url: Set("https://hooks.example.net/x".into()),
        secret_sealed: Set(String::new()),
        enabled: Set(true),
        created_by: Set("test".into()),
        created_at: Set(time::OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("webhook")
    .id
}

/// Per tenant: an alert definition, a webhook target and a maintenance window in force on its site.
async fn alerts_fixture(db: &domain::DatabaseConnection, tenants: [i64; 2], sites: [i64; 2]) -> ([i64; 2], [i64; 2], [i64; 2]) {
    use domain::alerts::entity::maintenance;
    let (mut alert, mut hook, mut window) = ([0; 2], [0; 2], [0; 2]);
    let now = time::OffsetDateTime::now_utc();
    for i in 0..2 {
        alert[i] = alert_row(db, tenants[i], "slow links").await;
        hook[i] = webhook_row(db, tenants[i], "noc").await;
        window[i] = maintenance::ActiveModel {
            tenant_id: Set(Some(tenants[i])),
            site_id: Set(Some(sites[i])),
            device_id: Set(None),
            object_name: Set(format!("site {i}")),
            starts_at: Set(now - time::Duration::hours(1)),
            ends_at: Set(now + time::Duration::hours(1)),
            reason: Set(String::new()),
            created_by: Set("test".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("window")
        .id;
    }
    (alert, hook, window)
}

/// An SLA profile for each tenant, and the ids of Voice-Video and CSO-AV.
async fn sla_fixture(db: &domain::DatabaseConnection, sp: &Actor, tenants: [i64; 2]) -> ([i64; 2], i64, i64) {
    use domain::sla::{profiles, traffic_types};
    let voice = traffic_types::list(db, sp).await.expect("traffic types").into_iter().find(|t| t.name == "Voice-Video").expect("Voice-Video").id;
    let av = profiles::list(db, sp).await.expect("profiles").into_iter().find(|r| r.profile.name == "CSO-AV").expect("CSO-AV").profile.id;
    let mut ids = [0; 2];
    for (i, tenant) in tenants.into_iter().enumerate() {
        let input = profiles::SlaProfileInput {
            name: format!("Branch-{i}"),
            tenant: tenant.to_string(),
            traffic_type: voice.to_string(),
            sla_config: "recommended".into(),
            threshold: "baseline".into(),
            failover: "any".into(),
            path_pref: "any".into(),
            ..Default::default()
        };
        ids[i] = profiles::create(db, sp, input).await.expect("SLA profile").id;
    }
    (ids, voice, av)
}

/// A configuration template that another one uses, and an open request.
async fn designs_fixture(db: &domain::DatabaseConnection, sp: &Actor) -> (i64, i64) {
    use domain::designs::{self, config, NewDesign, RequestInput, Tool};
    let body = serde_json::to_string(&config::from_configuration("set system host-name branch-1\n").expect("template")).expect("json");
    let input = |name: &str| NewDesign { name: name.into(), family: "srx".into(), description: String::new(), request_id: None, body: body.clone() };
    let (used, used_v1) = designs::create(db, sp, Tool::Config, input("branch base")).await.expect("design");
    let (_, user_v1) = designs::create(db, sp, Tool::Config, input("branch user")).await.expect("design");
    designs::add_dependency(db, user_v1.id, used_v1.id).await.expect("dependency");
    let request = designs::create_request(db, sp, Tool::Config, RequestInput { title: "Branch LAN".into(), priority: "normal".into(), ..Default::default() })
        .await
        .expect("request");
    (used.id, request.id)
}
