//! `/images/new`: the upload form. A plain multipart post to the server's `/images/upload` route;
//! on success it answers with `/images?notice=uploaded`, on a refusal with this page again and
//! `?field=…&error=…` plus what was typed, so the error shows at its field and nothing is retyped
//! (except the file, which browsers never refill).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{ErrorPanel, FormError, Loading, Notice, SelectInput, TextArea, TextInput};
use crate::AppError;

/// What was typed before a refusal, and the refusal itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Refill {
    version: String,
    family: String,
    description: String,
    sha256: String,
    /// A refusal for a form field as `Invalid` (shown at the field), any other as `Conflict`
    /// (shown above the form).
    refusal: Option<AppError>,
}

/// The route passes the domain's reasons on as they are ("checksum mismatch: …"); on the page they
/// read as sentences.
fn sentence(reason: &str) -> String {
    let mut s = reason.to_string();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    if !s.is_empty() && !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

impl Refill {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Refill {
        let text = |k: &str| get(k).unwrap_or_default();
        let message = sentence(text("error").trim());
        let refusal = (!message.is_empty()).then(|| match upload_field(&text("field")) {
            Some(field) => AppError::Invalid { field: field.to_string(), message: message.clone() },
            None => AppError::Conflict(message.clone()),
        });
        Refill { version: text("version"), family: text("family"), description: text("description"), sha256: text("sha256"), refusal }
    }
}

#[component]
pub fn UploadImagePage() -> impl IntoView {
    let query = use_query_map();
    let refill = move || {
        let q = query.read();
        let refill = Refill::from_query(|k| q.get(k));
        refill
    };
    let limits = Resource::new(|| (), |_| image_limits());
    view! {
        <Title text="Upload software image · Portico"/>
        <>
            <div class="page-header">
                <h1>"Upload software image"</h1>
                <p class="lead">"A Junos package from the vendor's download site. The portal computes its SHA-256 while it arrives and compares it with the one you give."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the upload form"/> }>
                {move || Suspend::new(async move {
                    match limits.await {
                        Ok(limits) => view! { <UploadForm limits refill=refill()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn UploadForm(limits: ImageLimitsView, refill: Refill) -> impl IntoView {
    let refusal = refill.refusal.clone();
    let error: Signal<Option<AppError>> = Signal::derive(move || refusal.clone());
    if !limits.can_upload {
        return view! {
            <FormError error/>
            <Notice text="You may see the software images, but uploading one needs the right to create them." warning=true/>
            <p><a href="/images">"Software images"</a></p>
        }
        .into_any();
    }
    let file_error = refill.refusal.as_ref().and_then(|e| e.for_field("file"));
    let described_by = if file_error.is_some() { "image-file-hint image-file-error" } else { "image-file-hint" };
    let file_hint = format!(
        "Up to {}. The file name must fit the family: SRX Series packages contain “srxsme”, SRX1500 packages “srxentedge” or “junos-install-srx”, NFX packages “nfx”; a VNF image (a VM disk for the Resource Designer's packages) ends in .qcow2, .img, .raw, .vmdk or .iso and takes the vendor's version, e.g. 22.04.",
        limits.max_text
    );
    let mut families = vec![(String::new(), "Choose a family…".to_string())];
    families.extend(FAMILIES.iter().map(|(k, l)| (k.to_string(), l.to_string())));
    view! {
        <section class="panel panel-form" aria-labelledby="upload-title">
            <div class="panel-header"><h2 id="upload-title">"Image"</h2></div>
            <FormError error/>
            <p class="field-hint">{format!("Largest image accepted: {}.", limits.max_text)}</p>
            <form method="post" action="/images/upload" enctype="multipart/form-data">
                <div class="form">
                    <div class="field">
                        <label for="image-file">"File"</label>
                        <input
                            id="image-file"
                            type="file"
                            name="file"
                            required
                            aria-invalid=file_error.is_some().then_some("true")
                            aria-describedby=described_by
                        />
                        <p class="field-hint" id="image-file-hint">{file_hint}</p>
                        {file_error.map(|m| view! { <p class="field-error" id="image-file-error">{m}</p> })}
                    </div>
                    <TextInput name="version" label="Version" error value=refill.version.clone() required=true autocomplete="off" hint="A Junos package's release as in its file name, e.g. 21.4R3-S5; a VNF image's own version, e.g. 22.04."/>
                    <SelectInput name="family" label="Family" error options=families selected=refill.family.clone() hint="Which models the image installs on."/>
                    <TextArea name="description" label="Description" error value=refill.description.clone() hint="Optional."/>
                    <TextInput
                        name="sha256"
                        label="Expected SHA-256 (from the vendor's download page)"
                        error
                        value=refill.sha256.clone()
                        autocomplete="off"
                        hint="Optional, 64 hexadecimal digits. When given, a file whose checksum differs is refused."
                    />
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">"Upload image"</button>
                        <a href="/images">"Cancel"</a>
                    </div>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refill(pairs: &[(&str, &str)]) -> Refill {
        Refill::from_query(|k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn a_refusal_shows_at_its_field_and_the_values_come_back() {
        let r = refill(&[("field", "expected_sha256"), ("error", "checksum mismatch"), ("version", "21.4R3-S5"), ("family", "srx")]);
        assert_eq!(r.refusal, Some(AppError::Invalid { field: "sha256".into(), message: "Checksum mismatch.".into() }));
        assert_eq!(r.version, "21.4R3-S5");
        assert_eq!(r.family, "srx");
    }

    #[test]
    fn other_refusals_go_above_the_form() {
        let r = refill(&[("field", "disk"), ("error", "The disk is full.")]);
        assert_eq!(r.refusal, Some(AppError::Conflict("The disk is full.".into())));
        assert_eq!(refill(&[]).refusal, None);
    }
}
