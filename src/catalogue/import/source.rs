//! A record's source file: its text, read as UTF-8, parsed as TOML, and problems named
//! by file and line.

use super::RecordError;
use crate::catalogue::types::Slug;
use serde::de::DeserializeOwned;
use std::path::PathBuf;

/// A source file and its text, for turning byte offsets into line numbers.
pub(super) struct Source {
    pub(super) path: PathBuf,
    text: String,
}

impl Source {
    pub(super) async fn read(path: PathBuf) -> Result<Source, RecordError> {
        match tokio::fs::read(&path).await {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(Source { path, text }),
                Err(e) => {
                    let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                        + 1;
                    Err(RecordError {
                        file: path,
                        line: Some(line),
                        message: "the file is not UTF-8 text; save it as UTF-8".into(),
                    })
                }
            },
            Err(e) => Err(RecordError {
                file: path,
                line: None,
                message: format!("cannot read the file: {e}"),
            }),
        }
    }

    pub(super) fn parse<T: DeserializeOwned>(&self) -> Result<T, RecordError> {
        toml::from_str(&self.text).map_err(|e| {
            let line = e.span().map(|s| self.line_at(s.start));
            self.error(line, e.message().trim().to_owned())
        })
    }

    pub(super) fn line_at(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    pub(super) fn error(&self, line: Option<usize>, message: impl Into<String>) -> RecordError {
        RecordError {
            file: self.path.clone(),
            line,
            message: message.into(),
        }
    }

    pub(super) fn error_at<T>(
        &self,
        spanned: &toml::Spanned<T>,
        message: impl Into<String>,
    ) -> RecordError {
        self.error(Some(self.line_at(spanned.span().start)), message)
    }
}

/// The slug from a file or folder name.
pub(super) fn slug_from_name(source: &Source, name: &str) -> Result<Slug, RecordError> {
    Slug::parse(name)
        .map_err(|e| source.error(None, format!("the file or folder name must be a slug: {e}")))
}
