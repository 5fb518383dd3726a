//! The localized field groups of the admin's forms: one legend, a field per language
//! (中文, Mongolian, English) side by side, each with its own error message.

use crate::catalogue::form::FieldError;
use crate::i18n::Lang;
use crate::web::page::PageCtx;

/// A localized field group of a form.
pub struct Group<'a> {
    /// Message key of the legend.
    pub label: &'static str,
    /// Text area rows (1 = a one-line input).
    pub rows: u8,
    /// Message key of a hint after the legend.
    pub hint: Option<&'static str>,
    /// One field per language.
    pub cells: Vec<Cell<'a>>,
}

/// One language's field of a group.
pub struct Cell<'a> {
    /// Its language.
    pub lang: Lang,
    /// The form field name, e.g. `title_zh`.
    pub field: &'static str,
    /// What the form holds.
    pub value: &'a str,
    /// The problem with it, in the reader's language.
    pub error: Option<String>,
    /// Marked as required.
    pub required: bool,
}

/// The message for `field`'s problem among `errors`, in the reader's language.
pub fn error_for(ctx: &PageCtx, errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| ctx.t(e.key))
}

/// A group of three fields (zh, mn, en); `required` names the one that must be filled.
pub fn group<'a>(
    ctx: &PageCtx,
    errors: &[FieldError],
    label: &'static str,
    rows: u8,
    fields: [&'static str; 3],
    values: [&'a String; 3],
    required: Option<&str>,
) -> Group<'a> {
    Group {
        label,
        rows,
        hint: None,
        cells: [Lang::Zh, Lang::Mn, Lang::En]
            .into_iter()
            .zip(fields)
            .zip(values)
            .map(|((lang, field), value)| Cell {
                lang,
                field,
                value: value.as_str(),
                error: error_for(ctx, errors, field),
                required: required == Some(field),
            })
            .collect(),
    }
}
