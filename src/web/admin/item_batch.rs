//! Moving many items through the workflow at once, from the list of items: after a bulk
//! import a base's drafts go to review, or out to the public, together. Each item is
//! checked as its own workflow button would check it (who may change it, which moves the
//! workflow allows, what publishing needs, that nobody changed it since the list was
//! shown), and the list then says how many moved and why each of the others did not.
//! A batch that would take published items off the public site asks first. A batch may
//! also take every item the list's filters match, across its pages (at most
//! [`MAX_ALL`]): the two thousand drafts of an import in one go.

use super::item_page::problem_texts;
use super::items::{list_page, list_query};
use super::require_editor;
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::types::{Slug, Status};
use crate::catalogue::workflow::{next_statuses, publish_problems};
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::page::PageCtx;
use crate::web::params::Params;
use crate::web::session::{SignedIn, require_csrf};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// The most items one batch may name (four pages of the list).
pub const MAX_BATCH: usize = 200;

/// The most items a batch of everything the filters match may move.
pub const MAX_ALL: usize = 2_000;

/// An item a batch left where it was.
struct Skipped {
    /// Its address in the admin, when it exists.
    slug: Option<String>,
    /// Its accession number, or what was sent when there is no such item.
    label: String,
    /// Why, as a sentence.
    why: String,
    /// What publishing it needs first, when that is why.
    needs: Vec<String>,
}

/// What the list shows above itself after a batch.
#[derive(Default)]
pub struct AboveList {
    /// What a batch did.
    pub batch: Option<BatchOutcome>,
    /// A batch waiting for the curator to confirm it.
    pub confirm: Option<Confirm>,
    /// A sentence about the last request (a batch with nothing chosen).
    pub notice: Option<String>,
}

/// A batch that would withdraw published items from the public site, asked again.
pub struct Confirm {
    /// The status asked for (its code).
    pub to: String,
    /// The status asked for, as words.
    pub status: String,
    /// The items as the form named them (`slug@revision`), to send again.
    pub items: Vec<String>,
    /// The batch takes everything the filters match (then `items` is not sent again).
    pub all: bool,
    /// The published ones among them: address and accession number.
    pub withdrawn: Vec<(String, String)>,
    /// The list's filters to keep: (name, value).
    pub filters: Vec<(String, String)>,
}

/// Items a batch left where they were for one reason.
pub struct SkippedGroup {
    /// Why, as a sentence.
    pub why: String,
    /// What publishing needs first, when that is why.
    pub needs: Vec<String>,
    /// The items: their address in the admin (when they exist) and accession number (or
    /// what was sent).
    pub items: Vec<(Option<String>, String)>,
}

/// What a batch did, shown above the list.
pub struct BatchOutcome {
    /// The status asked for, as words.
    pub status: String,
    /// How many of the items are now in that status.
    pub done: usize,
    /// How many were left.
    pub left: usize,
    /// Those, by reason, in the order first met.
    pub skipped: Vec<SkippedGroup>,
}

impl BatchOutcome {
    fn skip(&mut self, s: Skipped) {
        self.left += 1;
        let item = (s.slug, s.label);
        match self
            .skipped
            .iter_mut()
            .find(|g| g.why == s.why && g.needs == s.needs)
        {
            Some(group) => group.items.push(item),
            None => self.skipped.push(SkippedGroup {
                why: s.why,
                needs: s.needs,
                items: vec![item],
            }),
        }
    }
}

/// `POST /admin/item-status`: `to` (the status), `item` repeated (`slug@revision`, as the
/// list showed it), `confirm=1` once a withdrawal was confirmed, and the list's filters
/// (see [`super::items::FILTERS`]) to show it again after.
pub async fn apply(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    let params = Params::from_pairs(pairs);
    require_csrf(&auth, params.get("_csrf"))?;
    let to = params.status("to")?.ok_or_else(|| {
        let codes: Vec<_> = Status::ALL.iter().map(|s| s.code()).collect();
        AppError::bad_param("to", "", Some(codes.join(", ")))
    })?;
    let everything = params.get("all") == Some("1");
    let picked = if everything {
        Vec::new()
    } else {
        params.all("item")
    };
    if picked.len() > MAX_BATCH {
        return Err(AppError::bad_param(
            "item",
            &picked.len().to_string(),
            Some(format!("at most {MAX_BATCH} items at once")),
        ));
    }
    let mut items = Vec::with_capacity(picked.len());
    for value in picked {
        let parsed = value
            .rsplit_once('@')
            .and_then(|(slug, rev)| Some((slug, rev.parse::<i64>().ok()?)));
        let Some((slug, revision)) = parsed else {
            return Err(AppError::bad_param(
                "item",
                value,
                Some("slug@revision".into()),
            ));
        };
        items.push((slug.to_owned(), revision));
    }
    if everything {
        match matching(&state, &auth, &params).await? {
            Some(all) => items = all,
            None => {
                let above = AboveList {
                    notice: Some(ctx.t1("batch-too-many", "max", &MAX_ALL.to_string())),
                    ..AboveList::default()
                };
                let page = list_page(&state, ctx, &auth, &params, above).await?;
                return Ok(super::with_status(page, StatusCode::UNPROCESSABLE_ENTITY));
            }
        }
    }
    if items.is_empty() {
        // Ticked nothing, or (all matching) the filters match nothing now.
        let key = if everything {
            "batch-none-match"
        } else {
            "batch-none"
        };
        let above = AboveList {
            notice: Some(ctx.t(key)),
            ..AboveList::default()
        };
        let page = list_page(&state, ctx, &auth, &params, above).await?;
        return Ok(super::with_status(page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    if matches!(to, Status::Draft | Status::Archived) && params.get("confirm") != Some("1") {
        let withdrawn = published_among(&state, &auth, &items).await?;
        if !withdrawn.is_empty() {
            let confirm = Confirm {
                to: to.code().to_owned(),
                status: ctx.t(&format!("status-{}", to.code())),
                items: items.iter().map(|(s, r)| format!("{s}@{r}")).collect(),
                all: everything,
                withdrawn,
                filters: super::items::FILTERS
                    .iter()
                    .filter_map(|k| params.get(k).map(|v| ((*k).to_owned(), v.to_owned())))
                    .collect(),
            };
            let above = AboveList {
                confirm: Some(confirm),
                ..AboveList::default()
            };
            return list_page(&state, ctx, &auth, &params, above).await;
        }
    }
    let mut outcome = BatchOutcome {
        status: ctx.t(&format!("status-{}", to.code())),
        done: 0,
        left: 0,
        skipped: Vec::new(),
    };
    for (slug, revision) in items {
        match move_one(&state, &ctx, &auth, &slug, revision, to).await? {
            Ok(()) => outcome.done += 1,
            Err(skipped) => outcome.skip(skipped),
        }
    }
    let above = AboveList {
        batch: Some(outcome),
        ..AboveList::default()
    };
    list_page(&state, ctx, &auth, &params, above).await
}

/// Every item the list's filters match (as `slug@revision` now), or `None` when there
/// are more than [`MAX_ALL`].
async fn matching(
    state: &AppState,
    auth: &Authenticated,
    params: &Params,
) -> Result<Option<Vec<(String, i64)>>, AppError> {
    let mut query = list_query(auth, params, 500)?;
    let mut out = Vec::new();
    loop {
        let page = state.catalogue.list_items(&query).await?;
        out.extend(
            page.items
                .into_iter()
                .map(|i| (i.slug.to_string(), i.revision)),
        );
        if out.len() > MAX_ALL {
            return Ok(None);
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => return Ok(Some(out)),
        }
    }
}

/// The items named that are on the public site now and that `auth` may change.
async fn published_among(
    state: &AppState,
    auth: &Authenticated,
    items: &[(String, i64)],
) -> Result<Vec<(String, String)>, AppError> {
    let mut published = Vec::new();
    for (slug, _) in items {
        let Ok(slug) = Slug::parse(slug) else {
            continue;
        };
        if let Some(item) = state.catalogue.item(&slug, Visibility::All).await?
            && item.fields.status == Status::Published
            && auth.user.can_edit_base(&item.base.slug)
        {
            published.push((slug.to_string(), item.fields.accession.to_string()));
        }
    }
    Ok(published)
}

/// Moves one item to `to` if its own workflow button could; else says why not.
async fn move_one(
    state: &AppState,
    ctx: &PageCtx,
    auth: &Authenticated,
    slug: &str,
    revision: i64,
    to: Status,
) -> Result<Result<(), Skipped>, AppError> {
    let item = match Slug::parse(slug) {
        Ok(s) => state.catalogue.item(&s, Visibility::All).await?,
        Err(_) => None,
    };
    let Some(item) = item else {
        return Ok(Err(Skipped {
            slug: None,
            label: slug.chars().take(80).collect(),
            why: ctx.t("batch-why-missing"),
            needs: Vec::new(),
        }));
    };
    let skip = |why: String, needs: Vec<String>| {
        Ok(Err(Skipped {
            slug: Some(item.fields.slug.to_string()),
            label: item.fields.accession.to_string(),
            why,
            needs,
        }))
    };
    let from = item.fields.status;
    if !auth.user.can_edit_base(&item.base.slug) {
        return skip(ctx.t("batch-why-forbidden"), Vec::new());
    }
    if from == to {
        return Ok(Ok(()));
    }
    if item.revision != revision {
        return skip(ctx.t("batch-why-changed"), Vec::new());
    }
    if !next_statuses(from).contains(&to) {
        let words = |s: Status| ctx.t(&format!("status-{}", s.code()));
        return skip(
            ctx.tr.with(
                "batch-why-move",
                &[("from", &words(from)), ("to", &words(to))],
            ),
            Vec::new(),
        );
    }
    if to == Status::Published {
        let missing = publish_problems(&item);
        if !missing.is_empty() {
            return skip(ctx.t("publish-needs"), problem_texts(ctx, &missing));
        }
    }
    match state
        .editor
        .set_item_status(item.id, revision, to, &auth.actor())
        .await?
    {
        Ok(_) => Ok(Ok(())),
        Err(_) => skip(ctx.t("batch-why-changed"), Vec::new()),
    }
}
