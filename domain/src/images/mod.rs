//! Software images: Junos packages the SP uploads to upgrade devices. The server streams an upload to
//! `<data dir>/images/<sha256>`, computing its SHA-256 as it goes, and then registers it here; a
//! checksum the person typed must match the computed one, so a corrupted or wrong file is refused.
//!
//! An image's family says which models it installs on, and its file name must say the same thing
//! (Juniper names packages by platform), so a mislabelled upload is caught before it reaches a device.

pub mod entity;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use entity::Model as SoftwareImage;

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::infrastructure::FieldErrors;
use crate::sites::{self, models};
use crate::{validate, Actor, Error, Result};

/// The default size limit of an upload; the server may configure another.
pub const MAX_IMAGE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// A finished upload, to register.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImageUpload {
    pub file_name: String,
    pub version: String,
    /// `srx`, `srx1500` or `nfx`.
    pub family: String,
    pub description: String,
    pub size_bytes: u64,
    /// Computed by the server while streaming, lower-case hex.
    pub sha256: String,
    /// Typed by the person uploading; may be empty.
    pub expected_sha256: String,
}

/// Image families, as (key, label).
pub fn families() -> &'static [(&'static str, &'static str)] {
    &[("srx", "SRX300 to SRX550 (srxsme)"), ("srx1500", "SRX1500 (srxentedge)"), ("nfx", "NFX250"), ("vnf", "VNF image (qcow2, raw, vmdk or iso)")]
}

/// Whether an image of this family installs on a model.
pub fn fits(image_family: &str, model: &str) -> bool {
    let Some(m) = models::spec(model) else {
        return false;
    };
    match image_family {
        "srx" => m.family == models::Family::Srx && m.name != "SRX1500",
        "srx1500" => m.name == "SRX1500",
        "nfx" => m.family == models::Family::Nfx,
        _ => false,
    }
}

/// What the device is told to install: the package's file name.
pub fn package_name(image: &SoftwareImage) -> String {
    image.file_name.clone()
}

/// Whether a file name is a package of the family, by Juniper's naming.
fn name_fits_family(family: &str, file_name: &str) -> bool {
    let f = file_name.to_ascii_lowercase();
    match family {
        "srx" => f.contains("srxsme"),
        "srx1500" => f.contains("srxentedge") || f.contains("junos-install-srx"),
        "nfx" => f.contains("nfx"),
        // A virtual machine's disk, booted by a VIM for a VNF package: named by its format.
        "vnf" => [".qcow2", ".img", ".raw", ".vmdk", ".iso"].iter().any(|ext| f.ends_with(ext)),
        _ => false,
    }
}

/// A VM image's version is the vendor's (22.04, 9.3.1-lts), not a Junos release.
fn vm_version(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 32 || !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        return Err(Error::invalid("version", "must be 1 to 32 letters, digits, '.', '_' or '-', e.g. 22.04"));
    }
    Ok(s.to_string())
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit())
}

struct Fields {
    file_name: String,
    version: String,
    family: &'static str,
    description: String,
    size_bytes: i64,
    sha256: String,
}

fn parse(u: &ImageUpload, e: &mut FieldErrors) -> Option<Fields> {
    let file_name = u.file_name.trim();
    let file_name = if file_name.is_empty() || file_name.len() > 255 || !file_name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        e.0.push(("file_name", "must be 1 to 255 letters, digits, '.', '_' or '-'".into()));
        None
    } else {
        Some(file_name.to_string())
    };
    let family = families().iter().find(|(k, _)| *k == u.family.trim()).map(|(k, _)| *k);
    let version = if family == Some("vnf") { e.take(vm_version(&u.version)) } else { e.take(sites::junos_version("version", &u.version)) };
    if family.is_none() {
        e.0.push(("family", "Choose SRX, SRX1500, NFX or VNF image.".into()));
    }
    if let (Some(name), Some(fam)) = (&file_name, family) {
        if !name_fits_family(fam, name) {
            let expect = match fam {
                "srx" => "an SRX branch package's name contains `srxsme`",
                "srx1500" => "an SRX1500 package's name contains `srxentedge` or `junos-install-srx`",
                "vnf" => "a VNF image ends in .qcow2, .img, .raw, .vmdk or .iso",
                _ => "an NFX package's name contains `nfx`",
            };
            let what = if fam == "vnf" { "VNF image".to_string() } else { format!("{} package", fam.to_uppercase()) };
            e.0.push(("file_name", format!("{name} is not a {what}: {expect}")));
        }
    }
    let sha256 = u.sha256.trim().to_ascii_lowercase();
    if !is_sha256(&sha256) {
        e.0.push(("sha256", "the server computed no SHA-256 for the file".into()));
    }
    let expected = u.expected_sha256.trim().to_ascii_lowercase();
    if !expected.is_empty() && expected != sha256 {
        e.0.push(("expected_sha256", format!("checksum mismatch: the file's SHA-256 is {sha256}, not {expected}")));
    }
    let size_bytes = i64::try_from(u.size_bytes).ok().filter(|s| *s > 0);
    if size_bytes.is_none() {
        e.0.push(("file", "the file is empty".into()));
    }
    let description = e.take(validate::description(&u.description));
    Some(Fields { file_name: file_name?, version: version?, family: family?, description: description?, size_bytes: size_bytes?, sha256 })
        .filter(|_| e.0.is_empty())
}

/// Records an uploaded image (SP users with the right to add images).
#[tracing::instrument(skip_all, fields(user = %actor.username))]
pub async fn register(db: &DatabaseConnection, actor: &Actor, upload: ImageUpload) -> Result<SoftwareImage> {
    actor.require(Resource::Images, Action::Create)?;
    actor.require_service_provider()?;
    let mut e = FieldErrors::default();
    let fields = parse(&upload, &mut e);
    let f = e.finish(fields)?;
    let txn = audit::begin(db).await?;
    let row = entity::ActiveModel {
        file_name: Set(f.file_name),
        version: Set(f.version),
        family: Set(f.family.into()),
        size_bytes: Set(f.size_bytes),
        sha256: Set(f.sha256),
        description: Set(f.description),
        uploaded_by: Set(actor.username.chars().take(128).collect()),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "file_name", "an image"))?;
    let entry = Entry::new("image.create", "software_image", row.id, &row.file_name)
        .set("version", &row.version)
        .set("family", &row.family)
        .set("size_bytes", row.size_bytes)
        .set("sha256", &row.sha256);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

/// Every image, newest first.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<SoftwareImage>> {
    actor.require(Resource::Images, Action::View)?;
    Ok(entity::Entity::find().order_by_desc(entity::Column::CreatedAt).order_by_desc(entity::Column::Id).all(db).await?)
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<SoftwareImage> {
    actor.require(Resource::Images, Action::View)?;
    entity::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("software image"))
}

/// Images a site of this model may use, by file name: the choices of the site form's image field.
/// Offered to whoever may create sites, since tenants choose among the SP's images.
pub async fn choices(db: &DatabaseConnection, actor: &Actor, model: &str) -> Result<Vec<(i64, String)>> {
    actor.require(Resource::Sites, Action::View)?;
    Ok(entity::Entity::find()
        .order_by_asc(entity::Column::FileName)
        .all(db)
        .await?
        .into_iter()
        .filter(|i| model.is_empty() || fits(&i.family, model))
        .map(|i| (i.id, format!("{} ({})", i.file_name, i.version)))
        .collect())
}

/// Deletes an image's record (the caller removes the file when no other record has its SHA-256);
/// refused while a site uses it.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<SoftwareImage> {
    actor.require(Resource::Images, Action::Delete)?;
    // The service provider's images, used by every tenant: only its own staff remove one.
    actor.require_service_provider()?;
    let image = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    let users: Vec<String> = sites::entity::site::Entity::find()
        .select_only()
        .column(sites::entity::site::Column::Name)
        .filter(sites::entity::site::Column::ImageId.eq(id))
        .order_by_asc(sites::entity::site::Column::Name)
        .limit(6)
        .into_tuple()
        .all(txn.conn())
        .await?;
    if !users.is_empty() {
        let more = if users.len() > 5 { " and more" } else { "" };
        let names = users.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        return Err(Error::Conflict(format!("Image {} is used by sites {names}{more}; choose another image for them first.", image.file_name)));
    }
    let packages = crate::designs::vnf::packages_using_image(txn.conn(), id).await?;
    if !packages.is_empty() {
        return Err(Error::Conflict(format!("Image {} is the image of {}; choose another image for them first.", image.file_name, packages.join(", "))));
    }
    entity::Entity::delete_by_id(id).exec(txn.conn()).await?;
    txn.record(actor, Entry::new("image.delete", "software_image", id, &image.file_name).change("file_name", &image.file_name, "")).await?;
    txn.commit().await?;
    Ok(image)
}

/// Whether another image record still points at these bytes (so the file must stay).
pub async fn bytes_in_use(db: &DatabaseConnection, sha256: &str) -> Result<bool> {
    Ok(entity::Entity::find().filter(entity::Column::Sha256.eq(sha256)).one(db).await?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(file: &str, family: &str) -> ImageUpload {
        ImageUpload {
            file_name: file.into(),
            version: "21.4R3-S5".into(),
            family: family.into(),
            description: String::new(),
            size_bytes: 1024,
            sha256: "ab".repeat(32),
            expected_sha256: String::new(),
        }
    }

    fn first_error(u: &ImageUpload) -> Option<(&'static str, String)> {
        let mut e = FieldErrors::default();
        parse(u, &mut e);
        e.0.into_iter().next()
    }

    #[test]
    fn families_fit_their_models_only() {
        assert!(fits("srx", "SRX345") && fits("srx", "SRX300") && fits("srx", "SRX550"));
        assert!(!fits("srx", "SRX1500") && !fits("srx", "NFX250"));
        assert!(fits("srx1500", "SRX1500") && !fits("srx1500", "SRX345"));
        assert!(fits("nfx", "NFX250") && !fits("nfx", "SRX345"));
        assert!(!fits("srx", "MX960") && !fits("vmx", "SRX345"));
    }

    #[test]
    fn file_names_must_fit_the_family() {
        assert_eq!(first_error(&upload("junos-srxsme-21.4R3-S5.tgz", "srx")), None);
        assert_eq!(first_error(&upload("junos-install-srxentedge-x86-64-21.4R3-S5.tgz", "srx1500")), None);
        assert_eq!(first_error(&upload("jinstall-host-nfx-2-flex-x86-64-21.4R3-S5.tgz", "nfx")), None);
        let (field, reason) = first_error(&upload("junos-srxsme-21.4R3-S5.tgz", "nfx")).unwrap_or_default();
        assert_eq!(field, "file_name");
        assert!(reason.contains("not a NFX package") && reason.contains("`nfx`"), "{reason}");
        assert_eq!(first_error(&upload("../etc/passwd", "srx")).map(|e| e.0), Some("file_name"));
    }

    #[test]
    fn a_typed_checksum_must_match_in_any_case() {
        let mut u = upload("junos-srxsme-21.4R3-S5.tgz", "srx");
        u.expected_sha256 = "AB".repeat(32);
        assert_eq!(first_error(&u), None);
        u.expected_sha256 = "cd".repeat(32);
        let (field, reason) = first_error(&u).unwrap_or_default();
        assert_eq!(field, "expected_sha256");
        assert_eq!(reason, format!("checksum mismatch: the file's SHA-256 is {}, not {}", "ab".repeat(32), "cd".repeat(32)));
    }
}
