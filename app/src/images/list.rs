//! `/images`: the software images, newest first as the domain lists them, with Delete.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, FormError, Loading, LocalTime, Notice};
use crate::AppError;

#[component]
pub fn ImagesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || query.read().get("notice"), |_| list_images());
    view! {
        <Title text="Software images · Portico"/>
        <>
            <div class="page-header">
                <h1>"Software images"</h1>
                <p class="lead">"Junos packages that cloud hub devices are upgraded to and sites are built with. Each is checked by its SHA-256."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="software images"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <ImageTable list/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn ImageTable(list: ImageListView) -> impl IntoView {
    let delete = ServerAction::<DeleteImage>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let empty = list.rows.is_empty();
    let can_delete = list.can_delete;
    view! {
        <div class="toolbar">
            <span class="spacer"></span>
            {list.can_upload.then(|| view! { <a class="btn btn-primary" href="/images/new">"Upload image"</a> })}
        </div>
        <FormError error/>
        {if empty {
            view! {
                <EmptyState>
                    <p>"No software images yet."</p>
                    {list.can_upload.then(|| view! { <p><a href="/images/new">"Upload the first one"</a></p> })}
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table images-table">
                            <thead>
                                <tr>
                                    <th scope="col">"File name"</th>
                                    <th scope="col">"Version"</th>
                                    <th scope="col">"Family"</th>
                                    <th scope="col" class="num">"Size"</th>
                                    <th scope="col">"SHA-256"</th>
                                    <th scope="col">"Uploaded by"</th>
                                    <th scope="col">"Uploaded"</th>
                                    {can_delete.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|row| view! { <ImageLine row can_delete delete/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
            .into_any()
        }}
    }
}

#[component]
fn ImageLine(row: ImageRow, can_delete: bool, delete: ServerAction<DeleteImage>) -> impl IntoView {
    let pending = delete.pending();
    let short = short_sha(&row.sha256);
    let size_title = format!("{} bytes", row.size_bytes);
    view! {
        <tr>
            <td>
                <code>{row.file_name.clone()}</code>
                {(!row.description.is_empty()).then(|| view! { <br/><span class="muted">{row.description.clone()}</span> })}
            </td>
            <td>{row.version.clone()}</td>
            <td>{row.family_label.clone()}</td>
            <td class="num"><span title=size_title>{human_size(row.size_bytes)}</span></td>
            <td>
                // <details> shows the whole checksum (selectable, to compare with the vendor's) without JavaScript.
                <details class="checksum">
                    <summary title=row.sha256.clone()>
                        <code>{format!("{short}…")}</code>
                        <span class="visually-hidden">" Show the full SHA-256"</span>
                    </summary>
                    <code class="checksum-full">{row.sha256.clone()}</code>
                </details>
            </td>
            <td>{row.uploaded_by.clone()}</td>
            <td><LocalTime utc=row.uploaded_at.clone()/></td>
            {can_delete.then(|| view! {
                <td>
                    <ActionForm action=delete>
                        <input type="hidden" name="id" value=row.id/>
                        <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>
                            "Delete"<span class="visually-hidden">{format!(" {}", row.file_name)}</span>
                        </button>
                    </ActionForm>
                </td>
            })}
        </tr>
    }
}
