//! `/images`: the software images, newest first as the domain lists them, with Delete.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{Column, DataTable, EmptyState, ErrorPanel, FormError, ListState, Loading, LocalTime, Notice};
use crate::AppError;

#[component]
pub fn ImagesPage() -> impl IntoView {
    let state = ListState::current();
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
                        Ok(list) => view! { <ImageTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// A row of the table: the image, and the action its Delete button submits.
struct ImageLine {
    image: ImageRow,
    delete: ServerAction<DeleteImage>,
}

fn image_columns(can_delete: bool) -> Vec<Column<ImageLine>> {
    let mut columns = vec![
        Column::new("file_name", "File name", file_cell, |l| l.image.file_name.clone()).fixed(),
        Column::text("version", "Version", |l: &ImageLine| l.image.version.clone()),
        Column::text("family", "Family", |l: &ImageLine| l.image.family_label.clone()),
        Column::new("size", "Size", size_cell, |l| human_size(l.image.size_bytes)).numeric(),
        Column::new("sha256", "SHA-256", checksum_cell, |l| l.image.sha256.clone()),
        Column::text("uploaded_by", "Uploaded by", |l: &ImageLine| l.image.uploaded_by.clone()),
        Column::new(
            "uploaded",
            "Uploaded",
            |l: &ImageLine| view! { <LocalTime utc=l.image.uploaded_at.clone()/> }.into_any(),
            |l| l.image.uploaded_at.clone(),
        ),
    ];
    if can_delete {
        columns.push(Column::new("actions", "Actions", delete_cell, |_| String::new()));
    }
    columns
}

fn file_cell(line: &ImageLine) -> AnyView {
    let image = &line.image;
    view! {
        <code>{image.file_name.clone()}</code>
        {(!image.description.is_empty()).then(|| view! { <br/><span class="muted">{image.description.clone()}</span> })}
    }
    .into_any()
}

fn size_cell(line: &ImageLine) -> AnyView {
    let bytes = line.image.size_bytes;
    view! { <span title=format!("{bytes} bytes")>{human_size(bytes)}</span> }.into_any()
}

fn checksum_cell(line: &ImageLine) -> AnyView {
    let sha256 = line.image.sha256.clone();
    let (short, title) = (short_sha(&sha256), sha256.clone());
    view! {
        // <details> shows the whole checksum (selectable, to compare with the vendor's) without JavaScript.
        <details class="checksum">
            <summary title=title>
                <code>{format!("{short}…")}</code>
                <span class="visually-hidden">" Show the full SHA-256"</span>
            </summary>
            <code class="checksum-full">{sha256}</code>
        </details>
    }
    .into_any()
}

fn delete_cell(line: &ImageLine) -> AnyView {
    let delete = line.delete;
    let pending = delete.pending();
    // A component's children own what they show; the cell only borrows its row.
    let (id, which) = (line.image.id, format!(" {}", line.image.file_name));
    view! {
        <ActionForm action=delete>
            <input type="hidden" name="id" value=id/>
            <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>
                "Delete"<span class="visually-hidden">{which}</span>
            </button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn ImageTable(list: ImageListView, state: ListState) -> impl IntoView {
    let delete = ServerAction::<DeleteImage>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let can_upload = list.can_upload;
    let top = view! {
        <div class="toolbar">
            <span class="spacer"></span>
            {can_upload.then(|| view! { <a class="btn btn-primary" href="/images/new">"Upload image"</a> })}
        </div>
        <FormError error/>
    };
    if list.rows.is_empty() {
        return view! {
            {top}
            <EmptyState>
                <p>"No software images yet."</p>
                {can_upload.then(|| view! { <p><a href="/images/new">"Upload the first one"</a></p> })}
            </EmptyState>
        }
        .into_any();
    }
    let rows: Vec<ImageLine> = list.rows.into_iter().map(|image| ImageLine { image, delete }).collect();
    view! {
        {top}
        <DataTable
            id="images"
            caption="Software images"
            columns=image_columns(list.can_delete)
            rows
            state
            empty=""
            class="images-table"
        />
    }
    .into_any()
}
