//! The data table every list page is built from (the guide's "Managing Objects"): columns with
//! sortable headers, paging and filters kept in the address bar (so a view can be bookmarked and the
//! Back button works), an empty state, a horizontally scrollable region the keyboard can reach,
//! columns the user can hide (remembered per user, on the server), and a CSV export of exactly what
//! the table shows — the rows on screen, the columns shown, in their order.

use std::sync::Arc;

use leptos::prelude::*;

use super::{EmptyState, Pager};

/// One column: how a row shows in it, and how it reads in a CSV file.
pub struct Column<R> {
    /// Stable name: the `sort` value in the address, the key of the saved column choice.
    pub key: &'static str,
    pub label: &'static str,
    /// The server can order the list by it (`?sort=key&dir=asc|desc`).
    pub sortable: bool,
    /// The user may hide it; the column that names the row may not be hidden.
    pub hideable: bool,
    /// Right-aligned tabular figures.
    pub numeric: bool,
    /// How a row shows in it; `None` shows [`Column::text`] ("—" when empty).
    pub cell: Option<fn(&R) -> AnyView>,
    pub text: fn(&R) -> String,
}

impl<R> Column<R> {
    /// A column whose cell is its own view (a link, a badge) and whose CSV value is `text`.
    pub fn new(key: &'static str, label: &'static str, cell: fn(&R) -> AnyView, text: fn(&R) -> String) -> Self {
        Column { key, label, sortable: false, hideable: true, numeric: false, cell: Some(cell), text }
    }

    /// A column of plain text: the cell shows what the CSV holds.
    pub fn text(key: &'static str, label: &'static str, text: fn(&R) -> String) -> Self {
        Column { key, label, sortable: false, hideable: true, numeric: false, cell: None, text }
    }

    pub fn sortable(mut self) -> Self {
        self.sortable = true;
        self
    }

    /// Always shown: the column that names the row.
    pub fn fixed(mut self) -> Self {
        self.hideable = false;
        self
    }

    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self
    }

    fn render(&self, row: &R) -> AnyView {
        match self.cell {
            Some(cell) => cell(row),
            None => {
                let text = (self.text)(row);
                if text.is_empty() { "—".into_any() } else { text.into_any() }
            }
        }
    }
}

/// The list's place in the address bar: its path and every query parameter that says what it
/// shows. Links built from it keep the other parameters, so sorting keeps the search and a filter
/// chip's × keeps the order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    pub path: String,
    params: Vec<(String, String)>,
}

/// Parameters that describe one visit, not the view: never carried into the table's links.
const TRANSIENT: &[&str] = &["notice", "back"];

impl ListState {
    pub fn new(path: impl Into<String>, params: impl IntoIterator<Item = (String, String)>) -> Self {
        let params = params.into_iter().filter(|(k, v)| !v.is_empty() && !TRANSIENT.contains(&k.as_str())).collect();
        ListState { path: path.into(), params }
    }

    /// The list's path and query, as the router sees them. It follows the query while the address
    /// stays on this list, and keeps its last value once a navigation leaves it: the page being
    /// left must not ask for its data again with the next page's parameters.
    pub fn current() -> Memo<ListState> {
        let location = leptos_router::hooks::use_location();
        let query = leptos_router::hooks::use_query_map();
        let path = location.pathname.get_untracked();
        Memo::new(move |previous: Option<&ListState>| {
            if let Some(previous) = previous.filter(|_| location.pathname.get() != path) {
                return previous.clone();
            }
            let params = query.read().clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Vec<_>>();
            ListState::new(path.clone(), params)
        })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The page number (0-based), clamped like every page parameter.
    pub fn page(&self) -> u64 {
        super::page_param(self.get("page").map(str::to_string))
    }

    /// The search text (`q`).
    pub fn search(&self) -> String {
        self.get("q").unwrap_or_default().to_string()
    }

    /// The column the list is ordered by and whether descending; the server validates the key.
    pub fn sort(&self) -> (String, bool) {
        (self.get("sort").unwrap_or_default().to_string(), self.get("dir") == Some("desc"))
    }

    /// This list with `changes` applied (`None` removes a parameter). Any change but the page's
    /// itself goes back to the first page: page 7 of another order or filter is somewhere else.
    pub fn with(&self, changes: &[(&str, Option<String>)]) -> String {
        let mut params = self.params.clone();
        let keeps_page = changes.iter().all(|(k, _)| *k == "page");
        if !keeps_page {
            params.retain(|(k, _)| k != "page");
        }
        for (key, value) in changes {
            params.retain(|(k, _)| k != key);
            if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
                params.push((key.to_string(), v.clone()));
            }
        }
        if params.is_empty() {
            return self.path.clone();
        }
        let query = params.iter().map(|(k, v)| format!("{}={}", super::encode_query(k), super::encode_query(v))).collect::<Vec<_>>();
        format!("{}?{}", self.path, query.join("&"))
    }

    /// This list without its page number: what [`Pager`] adds `page=` to.
    fn without_page(&self) -> String {
        self.with(&[("page", None)])
    }

    /// The hidden inputs that carry the view's other parameters through a GET form (the search box).
    pub fn hidden_inputs(&self, except: &[&str]) -> impl IntoView {
        self.params
            .iter()
            .filter(|(k, _)| k != "page" && !except.contains(&k.as_str()))
            .map(|(k, v)| view! { <input type="hidden" name=k.clone() value=v.clone()/> })
            .collect_view()
    }
}

/// Where a list is in its pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// The columns each table's user chose to hide, as loaded with the signed-in user
/// ([`crate::auth::SignedInUser::hidden_columns`]) and updated as they change them, so a table
/// visited again in the same page load shows the same columns without asking the server.
#[derive(Clone, Copy)]
pub struct HiddenColumns(pub StoredValue<Vec<(String, Vec<String>)>>);

impl HiddenColumns {
    fn of(self, table: &str) -> Vec<String> {
        self.0.with_value(|all| all.iter().find(|(t, _)| t == table).map(|(_, c)| c.clone()).unwrap_or_default())
    }

    fn remember(self, table: &str, hidden: Vec<String>) {
        self.0.update_value(|all| {
            all.retain(|(t, _)| t != table);
            all.push((table.to_string(), hidden));
        });
    }
}

/// A table of `rows` in `columns`. `id` names it for the saved column choice and the CSV file;
/// `caption` names it for screen readers and labels its scroll region.
#[component]
pub fn DataTable<R>(
    id: &'static str,
    #[prop(into)] caption: String,
    columns: Vec<Column<R>>,
    rows: Vec<R>,
    state: ListState,
    /// What to say when there are no rows (the list is empty, or nothing matches its filters).
    #[prop(into)]
    empty: String,
    #[prop(optional)] paging: Option<Paging>,
    /// An extra class on the `<table>`, for a feature's own cell styles.
    #[prop(optional)]
    class: &'static str,
    /// A class for a row that reads differently (a cleared alarm, dimmed).
    #[prop(optional)]
    row_class: Option<fn(&R) -> &'static str>,
    /// The page offers its own, complete export (the audit log's, itself audited) instead of a CSV
    /// of the rows on screen.
    #[prop(optional)]
    own_export: bool,
) -> impl IntoView
where
    R: Send + Sync + 'static,
{
    if rows.is_empty() {
        return view! { <EmptyState>{empty}</EmptyState> }.into_any();
    }
    let columns = Arc::new(columns);
    let rows = Arc::new(rows);
    let saved = use_context::<HiddenColumns>();
    // The server renders every column; the user's choice applies once the page is hydrated. (The
    // frame loads the user beside the page, not before it, so the server cannot wait for it here
    // without rendering something the browser would not build the same way.)
    let hidden = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        if let Some(s) = saved {
            hidden.set(s.of(id));
        }
    });
    let shown = move |key: &'static str| !hidden.read().iter().any(|k| k == key);
    let (sort, descending) = state.sort();
    let headers = columns
        .iter()
        .map(|c| {
            let key = c.key;
            let class = c.numeric.then_some("num");
            let current = c.sortable && sort == key;
            let aria_sort = current.then_some(if descending { "descending" } else { "ascending" });
            let label = c.label;
            let content = if c.sortable {
                // A click on the current column reverses it; on another column, sorts it ascending.
                let dir = if current && !descending { "desc" } else { "asc" };
                let href = state.with(&[("sort", Some(key.to_string())), ("dir", Some(dir.to_string()))]);
                let arrow = match aria_sort {
                    Some("ascending") => " ▲",
                    Some(_) => " ▼",
                    None => "",
                };
                view! { <a class="sort-link" href=href>{label}<span aria-hidden="true">{arrow}</span></a> }.into_any()
            } else {
                label.into_any()
            };
            view! { <th scope="col" class=class aria-sort=aria_sort hidden=move || !shown(key)>{content}</th> }
        })
        .collect_view();
    let body = rows
        .iter()
        .map(|row| {
            let cells = columns
                .iter()
                .map(|c| {
                    let key = c.key;
                    let class = c.numeric.then_some("num");
                    view! { <td class=class hidden=move || !shown(key)>{c.render(row)}</td> }
                })
                .collect_view();
            let class = row_class.map(|f| f(row)).filter(|c| !c.is_empty());
            view! { <tr class=class>{cells}</tr> }
        })
        .collect_view();
    let table_class = if class.is_empty() { "data-table".to_string() } else { format!("data-table {class}") };
    let pager = paging.map(|p| view! { <Pager page=p.page per_page=p.per_page total=p.total base=state.without_page()/> });
    let region_label = caption.clone();
    view! {
        <section class="panel table-panel">
            <TableTools id columns=columns.clone() rows=rows.clone() hidden saved export=!own_export/>
            <div class="table-wrap" role="region" aria-label=region_label tabindex="0">
                <table class=table_class>
                    <caption class="visually-hidden">{caption}</caption>
                    <thead><tr>{headers}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {pager}
        </section>
    }
    .into_any()
}

/// The table's own controls: which columns show, and the CSV export. Both need the wasm, so they
/// appear once the page is hydrated.
#[component]
fn TableTools<R>(
    id: &'static str,
    columns: Arc<Vec<Column<R>>>,
    rows: Arc<Vec<R>>,
    hidden: RwSignal<Vec<String>>,
    saved: Option<HiddenColumns>,
    export: bool,
) -> impl IntoView
where
    R: Send + Sync + 'static,
{
    let hydrated = super::hydrated();
    let save = ServerAction::<SaveHiddenColumns>::new();
    let choices = columns
        .iter()
        .filter(|c| c.hideable)
        .map(|c| {
            let key = c.key;
            let checkbox_id = format!("{id}-col-{key}");
            let toggle = move |_| {
                hidden.update(|h| {
                    if let Some(i) = h.iter().position(|k| k == key) {
                        h.remove(i);
                    } else {
                        h.push(key.to_string());
                    }
                });
                let now = hidden.get_untracked();
                if let Some(s) = saved {
                    s.remember(id, now.clone());
                }
                save.dispatch(SaveHiddenColumns { table: id.to_string(), hidden: now.join(",") });
            };
            view! {
                <li>
                    <input
                        type="checkbox"
                        id=checkbox_id.clone()
                        prop:checked=move || !hidden.read().iter().any(|k| k == key)
                        on:change=toggle
                    />
                    <label for=checkbox_id>{c.label}</label>
                </li>
            }
        })
        .collect_view();
    let export = export.then(|| {
        let (columns, rows) = (columns.clone(), rows.clone());
        let export = move |_| {
            let csv = to_csv(&columns, &rows, &hidden.get_untracked());
            download(&format!("{id}.csv"), &csv);
        };
        view! { <button type="button" class="btn btn-secondary btn-small" on:click=export>"Export CSV"</button> }
    });
    let save_error = move || save.value().get().and_then(Result::err).map(|e| view! { <span class="field-error" role="alert">{e.to_string()}</span> });
    view! {
        <div class="table-tools" hidden=move || !hydrated.get()>
            <details class="menu columns-menu">
                <summary class="btn btn-secondary btn-small">"Columns"</summary>
                <ul class="menu-list" aria-label="Columns shown">{choices}</ul>
            </details>
            {export}
            {save_error}
        </div>
    }
}

/// The rows in the shown columns as CSV (RFC 4180: CRLF lines, fields quoted when they hold a
/// comma, quote or line break; a field that a spreadsheet would run as a formula is prefixed with
/// `'`).
pub fn to_csv<R>(columns: &[Column<R>], rows: &[R], hidden: &[String]) -> String {
    let shown: Vec<&Column<R>> = columns.iter().filter(|c| !hidden.iter().any(|h| h == c.key)).collect();
    let mut out = String::new();
    let line = |out: &mut String, fields: Vec<String>| {
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    };
    line(&mut out, shown.iter().map(|c| c.label.to_string()).collect());
    for row in rows {
        line(&mut out, shown.iter().map(|c| (c.text)(row)).collect());
    }
    out
}

fn csv_field(value: &str) -> String {
    // A cell starting with = + - @ is a formula to a spreadsheet: an exported name must not run.
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Hands `text` to the browser as a file download.
#[cfg(feature = "hydrate")]
fn download(name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let link = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("a").ok());
    if let Some(a) = link.and_then(|l| l.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[cfg(not(feature = "hydrate"))]
fn download(_name: &str, _text: &str) {}

/// Saves which columns of `table` the signed-in user hides (comma-separated keys).
#[server(prefix = "/api", endpoint = "save_hidden_columns")]
pub async fn save_hidden_columns(table: String, hidden: String) -> Result<(), crate::AppError> {
    let user = crate::auth::session::actor().await?;
    let state = crate::state::app_state()?;
    let hidden: Vec<String> = hidden.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect();
    domain::users::preferences::set_hidden_columns(&state.db, &user, &table, &hidden).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        name: &'static str,
        note: &'static str,
    }

    fn columns() -> Vec<Column<Row>> {
        vec![Column::text("name", "Name", |r: &Row| r.name.to_string()).fixed(), Column::text("note", "Note", |r: &Row| r.note.to_string())]
    }

    #[test]
    fn csv_holds_the_shown_columns_quoted_where_needed() {
        let rows = [Row { name: "ams1", note: "a, \"b\"" }, Row { name: "=cmd()", note: "" }];
        assert_eq!(to_csv(&columns(), &rows, &[]), "Name,Note\r\nams1,\"a, \"\"b\"\"\"\r\n'=cmd(),\r\n");
        assert_eq!(to_csv(&columns(), &rows, &["note".to_string()]), "Name\r\nams1\r\n'=cmd()\r\n");
    }

    #[test]
    fn links_keep_the_view_and_go_back_to_the_first_page() {
        let s = ListState::new("/vims", [("q".into(), "ams 1".into()), ("page".into(), "3".into()), ("notice".into(), "created".into())]);
        assert_eq!(s.with(&[("sort", Some("name".into())), ("dir", Some("desc".into()))]), "/vims?q=ams%201&sort=name&dir=desc");
        assert_eq!(s.with(&[("page", Some("4".into()))]), "/vims?q=ams%201&page=4");
        assert_eq!(s.with(&[("q", None)]), "/vims");
        assert_eq!(s.page(), 3);
    }
}
