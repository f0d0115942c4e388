//! `/imports/new`: the upload form and the formats it takes. The form is a plain multipart post to
//! the server's `/imports/upload` route (files do not travel through server functions), so it works
//! the same with JavaScript on or off; a refused file comes back as `?error=`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{ErrorPanel, Loading, Notice};

/// A shortened template: one POP with a router, and a VIM for a POP that exists already.
const JSON_SAMPLE: &str = r#"{
  "pops": [
    {
      "name": "ams-pop-1",
      "city": "Amsterdam",
      "country": "NL",
      "vims": [ { "name": "ams-vim-1", "vim_type": "openstack", … } ],
      "routers": [ { "name": "ams-pe-1", "role": "pe", … } ]
    }
  ],
  "vims": [ { "name": "rtm-vim-2", "pop": "rtm-pop-1", … } ]
}"#;

/// "100,000": limits read better grouped.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[component]
pub fn NewImportPage() -> impl IntoView {
    let query = use_query_map();
    let refused = move || query.read().get("error").filter(|e| !e.trim().is_empty());
    let help = Resource::new(|| (), |_| import_format_help());
    view! {
        <Title text="Import POPs · Portico"/>
        <>
            <div class="page-header">
                <h1>"Import POPs"</h1>
                <p class="lead">"Create many POPs at once, with their VIMs, EMS and routers, from one CSV or JSON file."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the import form"/> }>
                {move || Suspend::new(async move {
                    match help.await {
                        Ok(help) => {
                            let guide = help.clone();
                            view! {
                                <UploadForm help refused=refused()/>
                                <FormatGuide help=guide/>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn UploadForm(help: FormatHelp, refused: Option<String>) -> impl IntoView {
    if !help.can_create {
        return view! {
            {refused.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <Notice text="You may see the import history, but importing POPs needs the permission to create them." warning=true/>
            <p><a href="/imports">"Import history"</a></p>
        }
        .into_any();
    }
    let invalid = refused.is_some();
    let described_by = if invalid { "import-file-error import-file-hint" } else { "import-file-hint" };
    let hint = format!(
        "CSV or JSON, up to {} MB and {} records. All-or-nothing: one bad row imports nothing.",
        help.max_mb,
        grouped(help.max_rows)
    );
    view! {
        <section class="panel panel-form" aria-labelledby="upload-title">
            <div class="panel-header"><h2 id="upload-title">"Upload a file"</h2></div>
            {refused.map(|message| view! { <p class="form-error" role="alert" id="import-file-error">{message}</p> })}
            <form method="post" action="/imports/upload" enctype="multipart/form-data">
                <div class="form">
                    <div class="field">
                        <label for="import-file">"File to import"</label>
                        <input
                            id="import-file"
                            type="file"
                            name="file"
                            accept=".csv,.json,text/csv,application/json"
                            required
                            aria-invalid=invalid.then_some("true")
                            aria-describedby=described_by
                        />
                        <p class="field-hint" id="import-file-hint">{hint}</p>
                    </div>
                    <p class="field-hint">
                        "A dry run checks every row against the portal as it is now and lists each problem with its line and column; it writes nothing. You can import a file that passed its check from its result page."
                    </p>
                    // The first button is the one a browser uses for an implicit submission: a check, never an import.
                    <div class="form-actions">
                        <button type="submit" name="mode" value="dry_run" class="btn btn-secondary">"Check the file (dry run)"</button>
                        <button type="submit" name="mode" value="import" class="btn btn-primary">"Import"</button>
                        <a href="/imports">"Import history"</a>
                    </div>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn FormatGuide(help: FormatHelp) -> impl IntoView {
    let header = help.csv_columns.join(",");
    let limits = format!("At most {} MB and {} records (POPs, VIMs, EMS and routers together) per file.", help.max_mb, grouped(help.max_rows));
    view! {
        <section class="panel import-guide" aria-labelledby="formats-title">
            <div class="panel-header">
                <h2 id="formats-title">"File formats"</h2>
                // rel="external": the router must let the browser download the file, not route to it.
                <div class="action-row">
                    <a class="btn btn-secondary" href="/imports/templates/pops.csv" download="portico-pops.csv" rel="external">
                        "Download the CSV template"
                    </a>
                    <a class="btn btn-secondary" href="/imports/templates/pops.json" download="portico-pops.json" rel="external">
                        "Download the JSON template"
                    </a>
                </div>
            </div>
            <h3>"Rules"</h3>
            <ul>
                <li><strong>"All-or-nothing: one bad row imports nothing."</strong> " Every row is checked first; only a file without a single error is written, in one go."</li>
                <li>{limits}</li>
                <li>"Names are unique across the portal: a name that exists already, or appears twice in the file, is an error."</li>
                <li>
                    "A VIM, EMS or router goes into the POP named in its " <code>"pop"</code>
                    " column: a POP in the same file or one of the POPs you can see."
                </li>
                <li>
                    "A POP's " <code>"opco"</code>
                    " names the operating company that owns it; only service provider users may fill it. Leave it empty for the service provider's own POPs."
                </li>
            </ul>
            <h3>"CSV"</h3>
            <p>
                "One header row naming the columns, then one row per POP, VIM, EMS or router. The " <code>"type"</code>
                " column says which: " <code>"pop"</code> ", " <code>"vim"</code> ", " <code>"ems"</code> " or " <code>"router"</code>
                ". Leave empty the columns a row's type does not use. The template's header has every column:"
            </p>
            <pre class="import-sample"><code>{header}</code></pre>
            <h3>"JSON"</h3>
            <p>
                "An object with a " <code>"pops"</code> " list. Each POP may hold " <code>"vims"</code> ", " <code>"ems"</code>
                " and " <code>"routers"</code> " lists of its own. VIMs, EMS and routers for POPs that exist already go in top-level "
                <code>"vims"</code> ", " <code>"ems"</code> " and " <code>"routers"</code> " lists, each naming its POP in a "
                <code>"pop"</code> " field. Field names are the CSV's column names."
            </p>
            <pre class="import-sample"><code>{JSON_SAMPLE}</code></pre>
            <h3>"Columns of each record type"</h3>
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Record"</th>
                            <th scope="col">"CSV type"</th>
                            <th scope="col">"Columns (CSV) or fields (JSON)"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {help.kinds.into_iter().map(|k| view! {
                            <tr>
                                <td>{k.label}</td>
                                <td><code>{k.type_value}</code></td>
                                <td>
                                    {k.columns.into_iter().enumerate().map(|(i, c)| view! {
                                        {(i > 0).then_some(", ")}
                                        <code>{c}</code>
                                    }).collect_view()}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn limits_are_grouped_by_thousands() {
        assert_eq!(super::grouped(100_000), "100,000");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(1_234_567), "1,234,567");
    }
}
