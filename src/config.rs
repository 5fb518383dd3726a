//! Settings: command-line flags, then `EDUBASE_*` environment variables, then
//! `edubase.toml`, then defaults. Secrets (the database password) never reach logs.

use crate::classroom::rules::Retention;
use crate::db::{DatabaseUrl, sqlite_path};
use crate::media::ingest::Limits;
use crate::store::S3Url;
use anyhow::{Context, bail};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Settings as given on the command line or in the environment; unset means "not given".
#[derive(Debug, Default, Clone, clap::Args)]
pub struct SettingsArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "EDUBASE_BIND", global = true)]
    pub bind: Option<SocketAddr>,
    /// Folder for the SQLite database and media files [default: ./data]
    #[arg(long = "data", env = "EDUBASE_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Sample catalogue imported on first start; `none` to skip [default: ./exhibits]
    #[arg(long, env = "EDUBASE_EXHIBITS", global = true)]
    pub exhibits: Option<String>,
    /// postgres://… to use PostgreSQL [default: SQLite in the data folder]
    #[arg(
        long,
        env = "EDUBASE_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// s3://bucket/prefix to keep media in an S3-compatible object store, shared by every
    /// node; endpoint and credentials come from AWS_ENDPOINT, AWS_ACCESS_KEY_ID… [default:
    /// the media folder in the data folder]
    #[arg(long, env = "EDUBASE_MEDIA_URL", global = true)]
    pub media_url: Option<String>,
    /// Public base URL for absolute links (IIIF, feeds, share cards) [default: http://<bind>]
    #[arg(long, env = "EDUBASE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// The address harvesters and crawlers are given for the site's operator (OAI-PMH
    /// Identify) [default: webmaster@<the public URL's host>]
    #[arg(long, env = "EDUBASE_CONTACT_EMAIL", global = true)]
    pub contact_email: Option<String>,
    /// How long students' visits and essays are kept after their assignment closes:
    /// `end-of-school-year` (31 August, China time) or a number of days
    /// [default: end-of-school-year]
    #[arg(long, env = "EDUBASE_CLASSROOM_RETENTION", global = true)]
    pub classroom_retention: Option<String>,
    /// Settings file [default: ./edubase.toml if it exists]
    #[arg(long, env = "EDUBASE_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

/// `edubase.toml`: the same settings as the flags.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    bind: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    exhibits: Option<String>,
    database_url: Option<String>,
    media_url: Option<String>,
    public_url: Option<String>,
    contact_email: Option<String>,
    max_image_pixels: Option<u64>,
    classroom_retention: Option<String>,
    #[serde(default)]
    limits: Option<LimitsFile>,
    #[serde(default)]
    iiif: Option<IiifFile>,
}

/// `[iiif]` in `edubase.toml`: the IIIF image service's memory and output size.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IiifFile {
    cache_mb: Option<u64>,
    max_area: Option<u64>,
}

/// What the IIIF image service may hold in memory and make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IiifSettings {
    /// Memory for finished tiles, whole decodes and originals' bytes, together.
    pub cache_bytes: u64,
    /// Most pixels in one image it makes (`maxArea` in `info.json`).
    pub max_area: u64,
}

impl Default for IiifSettings {
    /// 256 MB of caches; images up to 25 megapixels.
    fn default() -> IiifSettings {
        IiifSettings {
            cache_bytes: 256 << 20,
            max_area: 25_000_000,
        }
    }
}

/// `[limits]` in `edubase.toml`: what uploads may be. Unset keys keep their defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsFile {
    image_bytes: Option<u64>,
    audio_bytes: Option<u64>,
    video_bytes: Option<u64>,
    document_bytes: Option<u64>,
    max_pixels: Option<u64>,
    max_side: Option<u32>,
}

/// The settings a running edubase uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Folder for the SQLite database and the media store.
    pub data_dir: PathBuf,
    /// Sample catalogue to import on first start, if any.
    pub exhibits: Option<PathBuf>,
    /// The database.
    pub database: DatabaseUrl,
    /// The object store for media, or `None` for the media folder.
    pub media_url: Option<S3Url>,
    /// Base for absolute links, without a trailing slash.
    pub public_url: String,
    /// The operator's e-mail address, if given.
    pub contact_email: Option<String>,
    /// What uploads may be (sizes per kind, image pixels).
    pub limits: Limits,
    /// How long students' visits and essays are kept after their assignment closes.
    pub retention: Retention,
    /// The IIIF image service's caches and limits.
    pub iiif: IiifSettings,
}

impl Config {
    /// Resolves the settings from flags/environment, the settings file and defaults.
    pub fn resolve(args: &SettingsArgs) -> anyhow::Result<Config> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None if Path::new("edubase.toml").exists() => read_file(Path::new("edubase.toml"))?,
            None => SettingsFile::default(),
        };
        let bind = args
            .bind
            .or(file.bind)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let data_dir = args
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let exhibits = match args.exhibits.clone().or(file.exhibits) {
            Some(s) if s.eq_ignore_ascii_case("none") || s.is_empty() => None,
            Some(s) => Some(PathBuf::from(s)),
            None => Some(PathBuf::from("exhibits")),
        };
        let database = match args.database_url.clone().or(file.database_url) {
            Some(url) => DatabaseUrl::parse(&url)?,
            None => DatabaseUrl::Sqlite(sqlite_path(&data_dir)),
        };
        let media_url = match args.media_url.clone().or(file.media_url) {
            Some(url) if !url.trim().is_empty() => Some(S3Url::parse(url.trim())?),
            _ => None,
        };
        let public_url = match args.public_url.clone().or(file.public_url) {
            Some(url) => check_public_url(&url)?,
            None => {
                let host = if bind.ip().is_unspecified() {
                    "127.0.0.1".to_owned()
                } else {
                    bind.ip().to_string()
                };
                let host = if bind.is_ipv6() && !bind.ip().is_unspecified() {
                    format!("[{host}]")
                } else {
                    host
                };
                format!("http://{host}:{}", bind.port())
            }
        };
        let contact_email = args
            .contact_email
            .clone()
            .or(file.contact_email)
            .map(|e| check_email(&e))
            .transpose()?;
        let retention = match args
            .classroom_retention
            .clone()
            .or(file.classroom_retention)
        {
            Some(s) => Retention::parse(&s).map_err(anyhow::Error::msg)?,
            None => Retention::EndOfSchoolYear,
        };
        let iiif = {
            let d = IiifSettings::default();
            let f = file.iiif.unwrap_or_default();
            IiifSettings {
                cache_bytes: f.cache_mb.map_or(d.cache_bytes, |mb| mb << 20),
                // Below one tile, viewers could not work.
                max_area: f.max_area.unwrap_or(d.max_area).max(512 * 512),
            }
        };
        Ok(Config {
            iiif,
            retention,
            bind,
            data_dir,
            exhibits,
            database,
            media_url,
            public_url,
            contact_email,
            limits: {
                let d = Limits::default();
                let l = file.limits.unwrap_or_default();
                Limits {
                    image_bytes: l.image_bytes.unwrap_or(d.image_bytes),
                    audio_bytes: l.audio_bytes.unwrap_or(d.audio_bytes),
                    video_bytes: l.video_bytes.unwrap_or(d.video_bytes),
                    document_bytes: l.document_bytes.unwrap_or(d.document_bytes),
                    max_pixels: l
                        .max_pixels
                        .or(file.max_image_pixels)
                        .unwrap_or(d.max_pixels),
                    max_side: l.max_side.unwrap_or(d.max_side),
                }
            },
        })
    }

    /// Settings for tests: in-memory database, no sample import.
    pub fn for_tests() -> Config {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: PathBuf::from("target/test-data"),
            exhibits: None,
            database: DatabaseUrl::SqliteMemory,
            media_url: None,
            public_url: "http://edubase.test".into(),
            contact_email: None,
            limits: Limits::default(),
            retention: Retention::EndOfSchoolYear,
            iiif: IiifSettings::default(),
        }
    }

    /// The media store folder.
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }
}

fn read_file(path: &Path) -> anyhow::Result<SettingsFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("Failed to read {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("{} is not a valid settings file", path.display()))
}

/// A plausible e-mail address: one `@` with something on each side, no spaces.
fn check_email(email: &str) -> anyhow::Result<String> {
    let email = email.trim();
    let ok = email.len() <= 254
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"".contains(c))
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.contains('@')
        });
    if !ok {
        bail!("contact_email {email:?} is not an e-mail address such as heritage@example.org");
    }
    Ok(email.to_owned())
}

fn check_public_url(url: &str) -> anyhow::Result<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(url.to_owned()),
        _ => bail!(
            "public URL {url:?} must look like https://example.org or https://example.org/edubase"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_give_the_embedded_shape() {
        let c = Config::resolve(&SettingsArgs::default()).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert_eq!(
            c.database,
            DatabaseUrl::Sqlite(PathBuf::from("data/edubase.sqlite"))
        );
        assert_eq!(c.exhibits, Some(PathBuf::from("exhibits")));
    }

    #[test]
    fn upload_limits_come_from_the_settings_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("edubase.toml");
        std::fs::write(
            &path,
            "[limits]\nvideo_bytes = 1000\nmax_pixels = 5000000\n",
        )
        .unwrap();
        let c = Config::resolve(&SettingsArgs {
            config: Some(path.clone()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.limits.video_bytes, 1000);
        assert_eq!(c.limits.max_pixels, 5_000_000);
        assert_eq!(c.limits.image_bytes, Limits::default().image_bytes);
        assert_eq!(c.iiif, IiifSettings::default());
        std::fs::write(&path, "[iiif]\ncache_mb = 64\nmax_area = 1000000\n").unwrap();
        let c = Config::resolve(&SettingsArgs {
            config: Some(path.clone()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.iiif.cache_bytes, 64 << 20);
        assert_eq!(c.iiif.max_area, 1_000_000);
        std::fs::write(&path, "[limits]\nvideo_byte = 1000\n").unwrap();
        let err = Config::resolve(&SettingsArgs {
            config: Some(path),
            ..Default::default()
        })
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("video_byte"),
            "a typo is named: {err:#}"
        );
    }

    #[test]
    fn flags_override_and_none_skips_the_sample_import() {
        let args = SettingsArgs {
            bind: Some("0.0.0.0:9000".parse().unwrap()),
            exhibits: Some("none".into()),
            public_url: Some("https://museum.example.org/".into()),
            ..Default::default()
        };
        let c = Config::resolve(&args).unwrap();
        assert_eq!(c.exhibits, None);
        assert_eq!(c.public_url, "https://museum.example.org");
        let bad = SettingsArgs {
            public_url: Some("museum.example.org".into()),
            ..Default::default()
        };
        assert!(Config::resolve(&bad).is_err());
    }

    #[test]
    fn a_contact_address_must_look_like_one() {
        let with = |email: &str| {
            Config::resolve(&SettingsArgs {
                contact_email: Some(email.into()),
                exhibits: Some("none".into()),
                ..Default::default()
            })
        };
        assert_eq!(
            with(" heritage@kzh.example.org ")
                .unwrap()
                .contact_email
                .as_deref(),
            Some("heritage@kzh.example.org")
        );
        for bad in [
            "heritage",
            "@example.org",
            "a b@example.org",
            "x@localhost",
            "<x@y.org>",
        ] {
            let err = with(bad).unwrap_err();
            assert!(format!("{err}").contains("contact_email"), "{bad}: {err}");
        }
    }
}
