//! The catalogue as a spreadsheet: `GET /admin/items.csv` writes the items the admin list
//! shows (the same filters), one row per item in the import's columns, with each item's
//! revision last. Edited in Excel and imported again, the sheet updates those items (see
//! [`crate::catalogue::csv_import::update`]); a row added without a revision makes a new
//! item. Media are not in the sheet: they are managed in each item's editor.

use super::csv_file::CsvFile;
use super::require_editor;
use crate::app::AppState;
use crate::catalogue::csv_import::columns::{export_columns, take_cell};
use crate::catalogue::form::ItemForm;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::params::Params;
use crate::web::session::SignedIn;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

/// Items read per query.
const PAGE: u32 = 200;

/// The export route.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/items.csv", get(export))
}

/// `GET /admin/items.csv?q=&status=&category=&base=&lacks=&import=`: every item the list
/// with these filters shows, on all its pages.
async fn export(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    let mut query = super::items::list_query(&auth, &params, PAGE)?;
    let mut out = CsvFile::new();
    out.row(export_columns())?;
    loop {
        let page = state.catalogue.list_items(&query).await?;
        for summary in &page.items {
            let Some(item) = state.catalogue.item(&summary.slug, Visibility::All).await? else {
                continue; // deleted meanwhile
            };
            let mut form = ItemForm::of(&item.fields, &item.base.slug, item.revision);
            out.row(export_columns().map(|code| take_cell(&mut form, code)))?;
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    let today = crate::stats::china_time(chrono::Utc::now()).format("%Y-%m-%d");
    out.download(&format!("edubase-items-{today}.csv"))
}
