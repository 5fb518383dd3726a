//! A dry run's media zip: sent with the form, or resumably before (tus, `purpose=import`)
//! and named by its upload; where it is on this server; and how to open it.

use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::csv_import::{MediaZip, Problem};
use crate::error::AppError;
use std::path::{Path, PathBuf};

/// The received zip's file name.
pub const ZIP_FILE: &str = "media.zip";

/// Where a dry run's media zip came from.
pub enum ZipSource {
    /// With the form, received into the dry run's folder.
    Form,
    /// Sent before, resumably (tus): a complete upload with no item.
    Uploaded {
        /// The upload's id.
        id: String,
        /// The file's name as the curator had it.
        name: String,
    },
}

/// The complete import zip `id` that `auth` uploaded resumably, to be found on this
/// server; else the problem to show.
pub async fn uploaded_zip(
    state: &AppState,
    auth: &Authenticated,
    id: &str,
) -> Result<Result<ZipSource, Problem>, AppError> {
    let missing = || Problem::new(None, Some("media"), "csv-upload-missing", &[]);
    let Some(key) = crate::store::BlobKey::staged(id) else {
        return Ok(Err(missing()));
    };
    let upload = match state.uploads.upload(id).await? {
        Some(u) if u.user_id == auth.user.id && u.item_id.is_none() => u,
        _ => return Ok(Err(missing())),
    };
    if upload.received < upload.length {
        let mb = |n: u64| (n >> 20).to_string();
        return Ok(Err(Problem::new(
            None,
            Some("media"),
            "csv-upload-incomplete",
            &[
                ("received", &mb(upload.received)),
                ("length", &mb(upload.length)),
            ],
        )));
    }
    if !state.blobs.exists(&key).await.map_err(AppError::Internal)? {
        // Its move into the store failed as its last bytes arrived (the store was down):
        // the bytes wait on this server, so move them now rather than ask for them again.
        if !state.ingest.staging.holds(id).await {
            return Ok(Err(missing()));
        }
        crate::web::uploads::keep_import_zip(state, id).await?;
    }
    Ok(Ok(ZipSource::Uploaded {
        id: id.to_owned(),
        name: upload.file_name,
    }))
}

/// Where a dry run's zip is on this server: received into `dir`, or a complete upload in
/// the media store (in place in a folder store, else downloaded into `dir`).
pub async fn zip_path(state: &AppState, dir: &Path, zip: &ZipSource) -> Result<PathBuf, AppError> {
    match zip {
        ZipSource::Form => Ok(dir.join(ZIP_FILE)),
        ZipSource::Uploaded { id, .. } => {
            let key = crate::store::BlobKey::staged(id).ok_or(AppError::NotFound)?;
            crate::store::local_copy(state.blobs.as_ref(), &key, &dir.join(ZIP_FILE))
                .await
                .map_err(AppError::Internal)?
                .ok_or(AppError::NotFound)
        }
    }
}

/// Opens a received zip on a blocking thread.
pub async fn open_zip(path: PathBuf) -> Result<MediaZip, String> {
    tokio::task::spawn_blocking(move || MediaZip::open(&path))
        .await
        .map_err(|e| e.to_string())?
}
