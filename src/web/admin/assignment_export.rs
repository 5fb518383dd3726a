//! One assignment's work as a spreadsheet for its teacher: per nickname the stops seen,
//! answers, score, essay status and text, the share of shared text, comment and grade.

use super::assignments::{exhibition, own};
use super::csv_file::CsvFile;
use super::essay_review::{answer_text, rows};
use crate::app::AppState;
use crate::error::AppError;
use crate::web::page::PageCtx;
use crate::web::session::SignedIn;
use crate::web::visit::beijing;
use axum::extract::{Path, State};
use axum::response::Response;

/// The CSV download of the assignment's work.
pub(super) async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let a = own(&state, &auth, &id).await?;
    let stops = exhibition(&state, &a).await?.map_or(0, |e| e.stops.len());
    let visits = state.classroom.repo().visits_of(a.id).await?;
    let mut out = CsvFile::new();
    let mut head = vec![
        ctx.t("csv-nickname"),
        ctx.t("csv-stops-seen"),
        ctx.t("csv-answered"),
        ctx.t("csv-score"),
        ctx.t("csv-essay-status"),
        ctx.t("csv-essay-chars"),
        ctx.t("csv-submitted-at"),
    ];
    for (i, q) in a.questions.iter().enumerate() {
        head.push(format!("Q{} ({}) {}", i + 1, q.stop, q.prompt));
    }
    head.push(ctx.t("csv-overlap-exhibition"));
    head.push(ctx.t("csv-overlap-classmate"));
    head.push(ctx.t("csv-essay"));
    head.push(ctx.t("csv-feedback"));
    head.push(ctx.t("grade-label"));
    out.row(head)?;
    for row in rows(&state, &a, visits).await? {
        let v = &row.visit;
        let status = if v.is_resubmitted() {
            "essay-status-resubmitted"
        } else if v.submitted_at.is_some() {
            "essay-status-submitted"
        } else if v.is_returned() {
            "essay-status-returned"
        } else if v.essay.is_empty() {
            "essay-status-none"
        } else {
            "essay-status-draft"
        };
        let mut record = vec![
            v.nickname.clone(),
            format!("{}/{stops}", v.stops_seen.len()),
            format!("{}/{}", row.answered, a.questions.len()),
            format!("{}/{}", row.score, a.scored()),
            ctx.t(status),
            v.essay_chars().to_string(),
            v.submitted_at.as_ref().map(beijing).unwrap_or_default(),
        ];
        for q in &a.questions {
            record.push(answer_text(q, v.answer(q.id)));
        }
        let s = &row.shared;
        record.push(s.exhibition.to_string());
        record.push(
            s.classmate
                .as_ref()
                .map_or("0".into(), |(name, _, p)| format!("{p} ({name})")),
        );
        record.push(v.essay.clone());
        record.push(v.feedback.clone());
        record.push(
            v.grade
                .map_or(String::new(), |g| ctx.t(&format!("grade-{g}"))),
        );
        out.row(record)?;
    }
    out.download(&format!("assignment-{}-{}.csv", a.id, a.code))
}
