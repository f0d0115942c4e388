//! Server functions of the Software images pages: thin — find the actor, call `domain::images`, shape.
//! The upload itself is the server's multipart route `/images/upload`, not a server function.

use leptos::prelude::*;

use super::{ImageLimitsView, ImageListView};
#[cfg(feature = "ssr")]
use super::{family_label, human_size, ImageRow};
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[server(prefix = "/api", endpoint = "list_images")]
pub async fn list_images() -> Result<ImageListView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let images = domain::images::list(&db, &actor).await?;
    let rows = images
        .into_iter()
        .map(|i| ImageRow {
            id: i.id,
            family_label: family_label(&i.family),
            // A negative size cannot be stored by the upload route; read it as nothing rather than fail.
            size_bytes: u64::try_from(i.size_bytes).unwrap_or(0),
            file_name: i.file_name,
            version: i.version,
            family: i.family,
            sha256: i.sha256,
            description: i.description,
            uploaded_by: i.uploaded_by,
            uploaded_at: crate::ui::format_utc(i.created_at),
        })
        .collect();
    Ok(ImageListView {
        rows,
        can_upload: actor.can(Resource::Images, Action::Create),
        can_delete: actor.can(Resource::Images, Action::Delete),
    })
}

/// Refused while a site uses the image.
#[server(prefix = "/api", endpoint = "delete_image")]
pub async fn delete_image(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let image = domain::images::delete(&state.db, &actor, id).await?;
    // The bytes are shared by every record with the same checksum; they go with the last one.
    if !domain::images::bytes_in_use(&state.db, &image.sha256).await? {
        let path = state.images_dir.join(&image.sha256);
        if let Err(e) = std::fs::remove_file(&path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(path = %path.display(), error = %e, "removing a deleted image's file failed");
            }
        }
    }
    crate::ui::redirect("/images?notice=deleted");
    Ok(())
}

/// The largest image the server takes, for the upload page to state.
#[server(prefix = "/api", endpoint = "image_limits")]
pub async fn image_limits() -> Result<ImageLimitsView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Images, Action::View)?;
    let max_bytes = app_state()?.max_image_bytes;
    Ok(ImageLimitsView { max_bytes, max_text: human_size(max_bytes), can_upload: actor.can(Resource::Images, Action::Create) })
}
