//! The admin's first page: the collection in figures for curators and administrators
//! (items by status and category, what needs attention, storage, visits per day, the most
//! viewed items and exhibitions, recent changes), and for teachers their assignments of
//! this school year with how far each class has got.

use super::AdminCtx;
use super::chart::{VisitsChart, visits_chart};
use crate::accounts::model::User;
use crate::accounts::types::Role;
use crate::app::AppState;
use crate::catalogue::types::Status;
use crate::classroom::model::{Assignment, Progress};
use crate::classroom::rules::school_year_of;
use crate::error::AppError;
use crate::media::fixity::FixityRun;
use crate::stats::{
    Attention, Change, ItemCounts, MostViewed, Scope, StorageUsed, Viewed, ViewedKind, day_of,
    first_of_last, today,
};
use crate::web::page::{PageCtx, render};
use crate::web::session::SignedIn;
use crate::web::visit::last_day;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

/// How many days the visits chart shows.
pub const VISIT_DAYS: u32 = 30;
/// How many items the "needs attention" list shows.
const ATTENTION_LIMIT: u32 = 50;
/// How many audit entries "recent changes" shows.
const CHANGES_LIMIT: u32 = 20;
/// How many of the most viewed items, and of exhibitions and bases, are listed.
const POPULAR_ITEMS: u32 = 10;
const POPULAR_OTHERS: u32 = 5;

/// The figures of a curator's or administrator's dashboard.
struct Figures {
    /// Items by status and category.
    counts: ItemCounts,
    /// Items with gaps, at most [`ATTENTION_LIMIT`].
    attention: Vec<Attention>,
    /// True when more items need attention than are listed.
    attention_more: bool,
    /// Published items without a Mongolian title.
    without_mongolian: i64,
    /// The originals' size.
    storage: StorageUsed,
    /// Page views per day.
    visits: VisitsChart,
    /// The items in scope whose pages were viewed most in those days.
    popular_items: Vec<MostViewed>,
    /// The same for exhibitions.
    popular_exhibitions: Vec<MostViewed>,
    /// And for bases: which of the banner's bases draw visitors.
    popular_bases: Vec<MostViewed>,
}

impl Figures {
    /// The most-viewed lists as the page shows them: (id, records, admin path).
    fn popular(&self) -> [(&'static str, &[MostViewed], &'static str); 3] {
        [
            ("popular-items", &self.popular_items, "items"),
            (
                "popular-exhibitions",
                &self.popular_exhibitions,
                "exhibitions",
            ),
            ("popular-bases", &self.popular_bases, "bases"),
        ]
    }
}

/// A teacher's assignments of this school year, newest first, each with its progress.
struct Teaching {
    rows: Vec<(Assignment, Progress)>,
    /// False until the teacher has a class: the first step is to add one.
    has_classes: bool,
}

async fn teaching(state: &AppState, teacher: &User) -> Result<Teaching, AppError> {
    let repo = state.classroom.repo();
    let year = school_year_of(today());
    let progress = repo.progress_of(teacher.id, year).await?;
    let classes = repo.classes_of(teacher.id).await?;
    let mut rows = Vec::new();
    for class in &classes {
        for a in repo.assignments_of(class.id).await? {
            if let Some(p) = progress.iter().find(|p| p.assignment == a.id) {
                rows.push((a, *p));
            }
        }
    }
    rows.sort_by(|(a, _), (b, _)| {
        b.fields
            .opens_at
            .cmp(&a.fields.opens_at)
            .then(b.id.cmp(&a.id))
    });
    Ok(Teaching {
        rows,
        has_classes: !classes.is_empty(),
    })
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    admin: AdminCtx,
    user: User,
    /// None for teachers, who have no catalogue to watch over.
    figures: Option<Figures>,
    /// A teacher's assignments; none for curators and administrators.
    teaching: Option<Teaching>,
    /// Everyone's changes for administrators, their own for curators.
    changes: Vec<Change>,
    /// The editorial states, as table columns.
    statuses: &'static [Status],
    /// The last fixity check, for administrators when it found damage.
    damage: Option<FixityRun>,
    /// For administrators: interface strings still in Chinese on Mongolian pages.
    interface_todo: usize,
    /// Of those, the ones on public pages.
    interface_todo_public: usize,
}

impl DashboardPage {
    fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    fn is_open(&self, a: &Assignment) -> bool {
        a.is_open(chrono::Utc::now())
    }

    fn days(&self, a: &Assignment) -> String {
        format!("{} – {}", day_of(a.fields.opens_at), last_day(a))
    }

    fn status(&self, status: &Status) -> String {
        self.ctx.t(&format!("status-{}", status.code()))
    }

    fn published_note(&self, counts: &ItemCounts) -> String {
        self.ctx
            .tr
            .n("dash-published-n", counts.by_status(&Status::Published))
    }

    fn attention_more_note(&self, shown: usize) -> String {
        self.ctx.tr.n(
            "dash-attention-more",
            i64::try_from(shown).unwrap_or(i64::MAX),
        )
    }

    fn fixity_note(&self, run: &FixityRun) -> String {
        self.ctx.tr.with(
            "dash-fixity-note",
            &[(
                "date",
                &crate::stats::china_time(run.at)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            )],
        )
    }

    fn bytes(&self, n: &i64) -> String {
        human_bytes(*n)
    }

    /// The chart's `<desc>`: the period, its total and its busiest day, in words.
    fn visits_desc(&self, chart: &VisitsChart) -> String {
        let (Some(first), Some(last), Some(busiest)) =
            (chart.first_day(), chart.last_day(), chart.busiest)
        else {
            return self.ctx.t("dash-visits-none");
        };
        self.ctx.tr.with(
            "dash-visits-desc",
            &[
                ("total", &chart.total.to_string()),
                ("first", &first.to_string()),
                ("last", &last.to_string()),
                ("busiest", &busiest.to_string()),
                ("max", &chart.max.to_string()),
            ],
        )
    }
}

#[tracing::instrument(skip_all, fields(user = %auth.user.username))]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    let user = &auth.user;
    let (figures, changes) = match user.role {
        Role::Admin => (
            Some(figures(&state, &Scope::All).await?),
            state.stats.recent_changes(None, CHANGES_LIMIT).await?,
        ),
        Role::Curator => (
            Some(figures(&state, &Scope::Bases(user.bases.clone())).await?),
            state
                .stats
                .recent_changes(Some(user.id), CHANGES_LIMIT)
                .await?,
        ),
        Role::Teacher => (None, Vec::new()),
    };
    let teaching = match user.role {
        Role::Teacher => Some(teaching(&state, user).await?),
        _ => None,
    };
    let damage = match user.role {
        Role::Admin => state
            .last_fixity()
            .await?
            .filter(|run| !run.report.intact()),
        _ => None,
    };
    let (interface_todo, interface_todo_public) = if auth.user.role == Role::Admin {
        use crate::i18n::{Audience, Lang, translations::untranslated};
        (
            untranslated(Lang::Mn, None),
            untranslated(Lang::Mn, Some(Audience::Visitors)),
        )
    } else {
        (0, 0)
    };
    render(&DashboardPage {
        ctx,
        admin: AdminCtx::new(&auth, "dashboard"),
        user: auth.user,
        figures,
        teaching,
        changes,
        statuses: Status::ALL,
        damage,
        interface_todo,
        interface_todo_public,
    })
}

async fn figures(state: &AppState, scope: &Scope) -> Result<Figures, AppError> {
    let stats = state.stats.as_ref();
    let since = first_of_last(VISIT_DAYS);
    let (counts, mut attention, without_mongolian, storage, days) = tokio::try_join!(
        stats.item_counts(scope),
        stats.needs_attention(scope, ATTENTION_LIMIT + 1),
        stats.published_without_mongolian(scope),
        stats.storage_used(scope),
        stats.page_views(today(), VISIT_DAYS),
    )?;
    let (popular_items, popular_exhibitions, popular_bases) = tokio::try_join!(
        stats.most_viewed(ViewedKind::Item, scope, since, POPULAR_ITEMS),
        stats.most_viewed(ViewedKind::Exhibition, scope, since, POPULAR_OTHERS),
        stats.most_viewed(ViewedKind::Base, scope, since, POPULAR_OTHERS),
    )?;
    let attention_more = attention.len() > ATTENTION_LIMIT as usize;
    attention.truncate(ATTENTION_LIMIT as usize);
    Ok(Figures {
        counts,
        attention,
        attention_more,
        without_mongolian,
        storage,
        visits: visits_chart(&days),
        popular_items,
        popular_exhibitions,
        popular_bases,
    })
}

/// Views of a record's public page in the dashboard's days, for its admin page.
pub(super) async fn recent_views(state: &AppState, record: Viewed) -> Result<i64, AppError> {
    let since = first_of_last(VISIT_DAYS);
    Ok(state.stats.views_of(&record, since).await?)
}

/// A size as people read it: "512 B", "3.4 KB", "12.0 MB", "1.25 GB" (binary multiples,
/// as file managers show them).
fn human_bytes(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{} B", bytes.max(0));
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let decimals = if unit >= 2 && value < 10.0 { 2 } else { 1 };
    format!("{value:.decimals$} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_largest_whole_unit() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KB");
        assert_eq!(human_bytes(12 << 20), "12.0 MB");
        assert_eq!(human_bytes((5 << 30) / 4), "1.25 GB");
        assert_eq!(human_bytes(3 << 40), "3.00 TB");
    }
}
