//! Export: the whole catalogue as an `exhibits/` folder that imports into an empty
//! database unchanged (drafts, media bytes, tracks and audio guides included), and that
//! exports again byte for byte; a non-empty folder is refused.

use crate::helpers::TestApp;
use crate::uploads::wav;
use edubase::catalogue::export::{ExportReport, Exporter};
use edubase::catalogue::model::{MediaFields, MediaTrack, NewMedia, TrackKind};
use edubase::catalogue::types::{Accession, Slug, Status};
use edubase::i18n::Lang;
use edubase::repo::{Actor, AuditEntry, Visibility};
use std::collections::BTreeMap;
use std::path::Path;

async fn export(app: &TestApp, dir: &Path) -> anyhow::Result<ExportReport> {
    Exporter::new(
        app.state.catalogue.as_ref(),
        app.state.exhibitions.as_ref(),
        app.state.panoramas.as_ref(),
        app.state.blobs.as_ref(),
    )
    .export(dir, "测试旗 数字教育基地", &mut |_| {})
    .await
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Gives `item` a recording (under a name that is no safe file name) with a Chinese
/// transcript, and makes it the audio guide of its stop in `exhibition`. Returns the
/// recording's hash.
pub(crate) async fn add_audio_guide(
    app: &TestApp,
    dir: &Path,
    exhibition: &str,
    item: &str,
) -> String {
    let staged = dir.join("guide.wav");
    std::fs::write(&staged, wav(1)).unwrap();
    let accepted = app
        .state
        .ingest
        .accept_path(&staged, &edubase::media::ingest::anywhere)
        .await
        .unwrap();
    let sha = accepted.file.sha256.clone();
    let owner = app.item(item).await.unwrap();
    let actor = Actor::system("test");
    let media_id = app
        .state
        .editor
        .add_media(
            owner.id,
            &NewMedia {
                file: accepted.file,
                fields: MediaFields {
                    original_name: "乌力格尔 录音 (1).wav".into(),
                    alt: Default::default(),
                    caption: edubase::i18n::LocalizedText::zh("胡尔奇说书"),
                    credit: "test".into(),
                    rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
                    source: None,
                },
            },
            &actor,
        )
        .await
        .unwrap();
    let audit = AuditEntry {
        actor: None,
        actor_name: "test".into(),
        action: "media.track.set".into(),
        entity: "item".into(),
        entity_id: item.into(),
        before: None,
        after: None,
    };
    app.state
        .catalogue
        .set_media_track(
            media_id,
            &MediaTrack {
                lang: Lang::Zh,
                kind: TrackKind::Captions,
                vtt: "WEBVTT\n\n00:00.000 --> 00:01.000\n说书开始\n".into(),
            },
            &audit,
        )
        .await
        .unwrap();
    let ex = app
        .state
        .exhibitions
        .draft_exhibition(&Slug::parse(exhibition).unwrap())
        .await
        .unwrap()
        .unwrap();
    let stop = ex.stops.iter().find(|s| s.item.as_str() == item).unwrap();
    let mut fields = stop.fields.clone();
    fields.audio = Some(media_id);
    app.state
        .exhibitions
        .update_stop(ex.id, ex.revision, stop.item_id, &fields, &actor)
        .await
        .unwrap()
        .unwrap();
    sha.to_string()
}

/// The samples, plus what they lack: an audio guide with a transcript under a name that is
/// no safe file name, and a draft without rights.
async fn richer_catalogue(app: &TestApp, dir: &Path) {
    app.import(Path::new("exhibits")).await;
    add_audio_guide(app, dir, "voices-of-horqin", "urliger").await;
    let urliger = app.item("urliger").await.unwrap();
    let actor = Actor::system("test");
    // Two panoramas of the hall, one item marked, a door each way.
    crate::panoramas::hall_panorama(app).await;
    let mut draft = urliger.fields.clone();
    draft.accession = Accession::parse("KZH-DRAFT-1").unwrap();
    draft.slug = Slug::parse("unfinished-record").unwrap();
    draft.status = Status::Draft;
    draft.rights = String::new();
    app.state
        .editor
        .create_item(&draft, &urliger.base.slug, &actor)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_exported_catalogue_imports_unchanged_and_exports_again_byte_for_byte() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::at(data.path()).await;
    richer_catalogue(&app, data.path()).await;

    let out = tempfile::tempdir().unwrap();
    let first = out.path().join("first");
    let report = export(&app, &first).await.unwrap();
    let items = app
        .state
        .catalogue
        .list_items(&edubase::catalogue::repo::ItemQuery::all(
            Visibility::All,
            1000,
        ))
        .await
        .unwrap()
        .items;
    assert_eq!(report.items, items.len());
    let mut media = 0;
    for i in &items {
        media += app.item(i.slug.as_str()).await.unwrap().media.len();
    }
    assert_eq!(report.media, media);
    assert!(report.bases >= 2 && report.exhibitions >= 1 && media > 10);
    let files = tree(&first);
    assert!(
        files.contains_key("data/items/urliger/media-1.wav"),
        "{:?}",
        files.keys()
    );
    assert!(files.contains_key("data/items/urliger/media-1.zh.captions.vtt"));
    assert_eq!(report.panoramas, 2);
    assert!(files.contains_key("data/panoramas/banner-heritage-hall-1.jpg"));
    let pano_toml =
        String::from_utf8(files["data/panoramas/banner-heritage-hall-1.toml"].clone()).unwrap();
    assert!(
        pano_toml.contains("file = \"banner-heritage-hall-1.jpg\"")
            && pano_toml.contains("[[doors]]\nto = \"banner-heritage-hall-2\""),
        "{pano_toml}"
    );
    let item_toml =
        String::from_utf8(files["data/items/unfinished-record/item.toml"].clone()).unwrap();
    assert!(item_toml.contains("status = \"draft\""), "{item_toml}");

    // Into an empty database: every record imports.
    let data2 = tempfile::tempdir().unwrap();
    let copy = TestApp::at(data2.path()).await;
    let imported = copy.import(&first).await;
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    for summary in &items {
        let a = app.item(summary.slug.as_str()).await.unwrap();
        let b = copy.item(summary.slug.as_str()).await.unwrap();
        assert_eq!(a.fields, b.fields, "{}", summary.slug);
        assert_eq!(a.base.slug, b.base.slug);
        assert_eq!(a.media.len(), b.media.len(), "{}", summary.slug);
        for (m, n) in a.media.iter().zip(&b.media) {
            assert_eq!((&m.sha256, m.kind, &m.mime), (&n.sha256, n.kind, &n.mime));
            assert_eq!(m.fields.caption, n.fields.caption);
            assert_eq!(m.fields.alt, n.fields.alt);
            assert_eq!(m.fields.rights, n.fields.rights);
            assert_eq!(m.tracks, n.tracks);
        }
    }
    let hall = Slug::parse("banner-heritage-hall").unwrap();
    let halls = |app: &TestApp| {
        let app = app.state.clone();
        let hall = hall.clone();
        async move {
            let list = app
                .panoramas
                .panoramas(&hall, Visibility::All)
                .await
                .unwrap();
            list.into_iter()
                .map(|p| {
                    let spots: Vec<_> = p
                        .spots
                        .iter()
                        .map(|s| (s.item.accession.to_string(), s.x, s.y))
                        .collect();
                    let doors: Vec<_> = p.doors.iter().map(|d| (d.to, d.x, d.y)).collect();
                    (p.number, p.title, p.alt, p.image.sha256, spots, doors)
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        halls(&copy).await,
        halls(&app).await,
        "the panorama survives"
    );
    assert_eq!(imported.panoramas, 2);
    let again = copy.import(&first).await;
    assert!(again.errors.is_empty(), "{:?}", again.errors);
    assert_eq!(
        halls(&copy).await,
        halls(&app).await,
        "re-importing updates in place"
    );
    let guide = |app: &TestApp| {
        let app = app.state.clone();
        async move {
            let ex = app
                .exhibitions
                .draft_exhibition(&Slug::parse("voices-of-horqin").unwrap())
                .await
                .unwrap()
                .unwrap();
            let stop = ex
                .stops
                .iter()
                .find(|s| s.item.as_str() == "urliger")
                .unwrap();
            let item = app
                .catalogue
                .item(&stop.item, Visibility::All)
                .await
                .unwrap()
                .unwrap();
            let audio = item.media.iter().find(|m| Some(m.id) == stop.fields.audio);
            (ex.stops.len(), audio.map(|m| m.sha256.clone()))
        }
    };
    let (stops, audio) = guide(&app).await;
    assert!(audio.is_some());
    assert_eq!(
        guide(&copy).await,
        (stops, audio),
        "the audio guide survives"
    );

    // And out again: the same folder, byte for byte.
    let second = out.path().join("second");
    export(&copy, &second).await.unwrap();
    let again = tree(&second);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        again.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &files {
        if name == "bag-info.txt" || name == "tagmanifest-sha256.txt" {
            continue; // they carry the day of bagging
        }
        assert!(again[name] == *bytes, "{name} differs");
    }
}

#[tokio::test]
async fn export_refuses_a_folder_that_is_not_empty() {
    let app = TestApp::with_samples().await;
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("precious.txt"), "keep me").unwrap();
    let err = export(&app, out.path()).await.unwrap_err();
    assert!(err.to_string().contains("is not empty"), "{err}");
    assert_eq!(tree(out.path()).len(), 1, "nothing written");
    assert_eq!(
        std::fs::read_to_string(out.path().join("precious.txt")).unwrap(),
        "keep me"
    );
}

#[tokio::test]
async fn a_bag_that_was_changed_is_refused_whole() {
    let app = TestApp::with_samples().await;
    let out = tempfile::tempdir().unwrap();
    let bag = out.path().join("bag");
    export(&app, &bag).await.unwrap();
    for tag in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
    ] {
        assert!(bag.join(tag).is_file(), "{tag}");
    }
    let manifest = std::fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap();
    assert!(manifest.contains("  data/items/urliger/item.toml\n"));
    assert!(
        manifest.lines().count() == tree(&bag.join("data")).len(),
        "every payload file is listed"
    );

    let record = bag.join("data/items/urliger/item.toml");
    let original = std::fs::read(&record).unwrap();
    std::fs::write(&record, [&original[..], b"\n# edited"].concat()).unwrap();
    let empty = TestApp::empty().await;
    let err = edubase::catalogue::import::Importer::new(
        empty.state.catalogue.as_ref(),
        empty.state.panoramas.as_ref(),
        &empty.state.ingest,
    )
    .import_dir(&bag, &mut |_| {})
    .await
    .unwrap_err();
    assert!(
        format!("{err:#}").contains("data/items/urliger/item.toml does not match its checksum"),
        "{err:#}"
    );
    std::fs::write(&record, &original).unwrap();
    std::fs::write(bag.join("data/items/urliger/extra.jpg"), b"slipped in").unwrap();
    let err = edubase::catalogue::import::Importer::new(
        empty.state.catalogue.as_ref(),
        empty.state.panoramas.as_ref(),
        &empty.state.ingest,
    )
    .import_dir(&bag, &mut |_| {})
    .await
    .unwrap_err();
    assert!(
        format!("{err:#}").contains("not in its manifest"),
        "{err:#}"
    );
    assert!(
        empty.item("urliger").await.is_none(),
        "nothing of a bad bag is imported"
    );
    std::fs::remove_file(bag.join("data/items/urliger/extra.jpg")).unwrap();
    let report = empty.import(&bag).await;
    assert!(report.errors.is_empty() && report.items > 10, "{report:?}");
}
