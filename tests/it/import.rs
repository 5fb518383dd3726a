//! Importing catalogue folders: broken records are reported with file and line and leave
//! nothing behind; re-imports update instead of duplicating.

use crate::helpers::TestApp;
use edubase::catalogue::repo::{ItemQuery, ListQuery};
use edubase::repo::Visibility;
use std::path::Path;

/// A small real JPEG.
pub fn jpeg_bytes(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7 % 256) as u8, (y * 3 % 256) as u8, 120])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    out
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const BASE: &str = "kind = \"museum\"\n[name]\nzh = \"测试馆\"\nen = \"Test hall\"\n";

fn item_toml(accession: &str, status: &str, media: &str) -> String {
    format!(
        "accession = \"{accession}\"\nstatus = \"{status}\"\ncategory = \"traditional_craft\"\nbase = \"test-hall\"\n\
         rights = \"https://creativecommons.org/publicdomain/zero/1.0/\"\n[title]\nzh = \"马鞍\"\nen = \"Saddle\"\n{media}"
    )
}

const PHOTO: &str = "[[media]]\nfile = \"photo.jpg\"\ncredit = \"Test\"\nrights = \"https://creativecommons.org/publicdomain/zero/1.0/\"\n[media.alt]\nzh = \"一副马鞍\"\n";

/// A folder with one base and one draft item with a photo (used by the gallery tests).
pub fn write_draft_item(dir: &Path) {
    write(&dir.join("bases/test-hall.toml"), BASE);
    write(
        &dir.join("items/draft-saddle/item.toml"),
        &item_toml("DRAFT-1", "draft", PHOTO),
    );
    std::fs::write(dir.join("items/draft-saddle/photo.jpg"), jpeg_bytes(64, 48)).unwrap();
}

#[tokio::test]
async fn the_sample_exhibits_import_completely() {
    let app = TestApp::empty().await;
    let report = app.import(Path::new("exhibits")).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.bases >= 2, "{report:?}");
    assert!(report.items >= 14, "{report:?}");
    assert!(report.exhibitions >= 2, "{report:?}");
    assert!(report.media_stored >= 10, "{report:?}");
    let ten = [
        "mongolian-horse-gear-craft",
        "mongolian-bone-setting",
        "horqin-chuur-epic",
        "mongolian-calligraphy",
        "morin-khuur-music",
        "khoomei",
        "horqin-narrative-folk-songs",
        "urliger",
        "holboo",
        "andai-dance",
    ];
    for slug in ten {
        app.page(&format!("/items/{slug}")).await;
    }
}

#[tokio::test]
async fn importing_twice_updates_instead_of_duplicating() {
    let app = TestApp::empty().await;
    let first = app.import(Path::new("exhibits")).await;
    let second = app.import(Path::new("exhibits")).await;
    assert_eq!(second.media_stored, 0, "identical files are stored once");
    assert_eq!(
        (first.items, first.bases, first.exhibitions),
        (second.items, second.bases, second.exhibitions)
    );
    let items = app
        .state
        .catalogue
        .list_items(&ItemQuery::all(Visibility::All, 1000))
        .await
        .unwrap();
    assert_eq!(items.items.len(), first.items);
    let exhibitions = app
        .state
        .catalogue
        .list_exhibitions(&ListQuery::all(Visibility::All, 100))
        .await
        .unwrap();
    assert_eq!(exhibitions.items.len(), first.exhibitions);
    let bases = app
        .state
        .catalogue
        .list_bases(&ListQuery::all(Visibility::All, 100))
        .await
        .unwrap();
    assert_eq!(bases.items.len(), first.bases);
}

#[tokio::test]
async fn broken_records_are_reported_with_file_and_line_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("bases/test-hall.toml"), BASE);
    // A good item, to show the others still import.
    write(
        &d.join("items/good/item.toml"),
        &item_toml("OK-1", "published", ""),
    );
    // Unknown category, on line 3.
    write(
        &d.join("items/bad-category/item.toml"),
        &item_toml("BAD-1", "published", "").replace("traditional_craft", "crafts"),
    );
    // TOML syntax error.
    write(
        &d.join("items/bad-syntax/item.toml"),
        "accession = \"BAD-2\"\n[title\nzh = \"x\"\n",
    );
    // Its media file is missing: the item must not be half-written.
    write(
        &d.join("items/missing-photo/item.toml"),
        &item_toml("BAD-3", "published", PHOTO),
    );
    // An image without alt text.
    write(
        &d.join("items/no-alt/item.toml"),
        &item_toml(
            "BAD-4",
            "published",
            &PHOTO.replace("[media.alt]\nzh = \"一副马鞍\"\n", ""),
        ),
    );
    std::fs::write(d.join("items/no-alt/photo.jpg"), jpeg_bytes(10, 10)).unwrap();
    // A file that is not an allowed media type.
    write(
        &d.join("items/html-file/item.toml"),
        &item_toml("BAD-5", "published", PHOTO),
    );
    std::fs::write(
        d.join("items/html-file/photo.jpg"),
        b"<html><script>alert(1)</script></html>",
    )
    .unwrap();
    // A path that tries to leave the folder.
    write(
        &d.join("items/escape/item.toml"),
        &item_toml(
            "BAD-6",
            "published",
            &PHOTO.replace("photo.jpg", "../good/item.toml"),
        ),
    );
    // The same accession number twice.
    write(
        &d.join("items/zz-duplicate/item.toml"),
        &item_toml("OK-1", "published", ""),
    );
    // A typo in a key.
    write(
        &d.join("items/typo/item.toml"),
        &item_toml("BAD-7", "published", "").replace("[title]", "[titel]"),
    );
    // An unknown base.
    write(
        &d.join("items/no-base/item.toml"),
        &item_toml("BAD-8", "published", "").replace("test-hall", "nowhere"),
    );
    // An exhibition whose second stop names a missing item.
    write(
        &d.join("exhibitions/tour.toml"),
        "base = \"test-hall\"\n[title]\nzh = \"展\"\n[[stops]]\nitem = \"good\"\n[[stops]]\nitem = \"ghost\"\n",
    );

    let app = TestApp::empty().await;
    let report = app.import(d).await;
    assert_eq!(report.items, 1, "only the good item: {:?}", report.errors);
    assert_eq!(report.exhibitions, 0);
    let message = |folder: &str| {
        report
            .errors
            .iter()
            .find(|e| e.file.to_string_lossy().contains(folder))
            .unwrap_or_else(|| panic!("no error for {folder}: {:?}", report.errors))
            .clone()
    };
    let e = message("bad-category");
    assert_eq!(e.line, Some(3), "{e}");
    assert!(
        e.message.contains("crafts") && e.message.contains("traditional_craft"),
        "{e}"
    );
    assert!(message("bad-syntax").line.is_some());
    let e = message("missing-photo");
    assert!(e.message.contains("photo.jpg") && e.line == Some(9), "{e}");
    assert!(message("no-alt").message.contains("alt text"));
    let e = message("html-file");
    assert!(
        e.message.contains("text/html") && e.message.contains("cannot be added"),
        "{e}"
    );
    assert!(
        message("escape")
            .message
            .contains("file name in the item's folder")
    );
    let e = message("zz-duplicate");
    assert!(
        e.message.contains("OK-1") && e.message.contains("already used"),
        "{e}"
    );
    assert!(
        message("typo").message.contains("titel"),
        "{}",
        message("typo")
    );
    let e = message("no-base");
    assert!(e.message.contains("nowhere") && e.line == Some(4), "{e}");
    let e = message("tour.toml");
    assert!(e.message.contains("ghost") && e.line == Some(7), "{e}");
    assert!(
        e.to_string().contains("tour.toml:7:"),
        "file:line: message — {e}"
    );

    let all = app
        .state
        .catalogue
        .list_items(&ItemQuery::all(Visibility::All, 100))
        .await
        .unwrap();
    let accessions: Vec<_> = all.items.iter().map(|i| i.accession.to_string()).collect();
    assert_eq!(
        accessions,
        ["OK-1"],
        "nothing of a broken record was written"
    );
}

#[tokio::test]
async fn a_missing_folder_is_an_error_not_an_empty_import() {
    let app = TestApp::empty().await;
    let result = edubase::catalogue::import::Importer::new(
        app.state.catalogue.as_ref(),
        app.state.panoramas.as_ref(),
        &app.state.ingest,
    )
    .import_dir(Path::new("/no/such/folder"), &mut |_| {})
    .await;
    assert!(result.is_err());
}

#[tokio::test]
async fn the_first_start_imports_the_samples_once() {
    use edubase::catalogue::types::Slug;
    let dir = tempfile::tempdir().unwrap();
    let mut config = edubase::config::Config::for_tests();
    config.exhibits = Some("exhibits".into());
    config.data_dir = dir.path().to_owned();
    let db = edubase::db::connect(&edubase::db::DatabaseUrl::SqliteMemory)
        .await
        .unwrap();
    let state = edubase::app::AppState::new(
        config,
        db,
        std::sync::Arc::new(edubase::store::MemoryStore::new()),
    )
    .await
    .unwrap();
    edubase::app::import_samples_once(&state).await.unwrap();
    let count = state
        .catalogue
        .list_items(&ItemQuery::all(Visibility::All, 1000))
        .await
        .unwrap()
        .items
        .len();
    assert!(count >= 14);
    assert!(
        state
            .meta
            .meta("sample_exhibits_imported_at")
            .await
            .unwrap()
            .is_some()
    );

    // A curator renames a base; a restart must neither duplicate nor undo the edit.
    let slug = Slug::parse("banner-heritage-hall").unwrap();
    let mut base = state
        .catalogue
        .base(&slug, Visibility::All)
        .await
        .unwrap()
        .unwrap();
    base.fields.name = edubase::i18n::LocalizedText::zh("馆员改过的名字");
    state.catalogue.upsert_base(&base.fields).await.unwrap();
    edubase::app::import_samples_once(&state).await.unwrap();
    let again = state
        .catalogue
        .list_items(&ItemQuery::all(Visibility::All, 1000))
        .await
        .unwrap()
        .items
        .len();
    assert_eq!(count, again);
    let kept = state
        .catalogue
        .base(&slug, Visibility::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.fields.name.zh.as_deref(),
        Some("馆员改过的名字"),
        "the second start did not re-import"
    );
}

#[tokio::test]
async fn tracks_and_audio_guides_are_checked_like_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("bases/test-hall.toml"), BASE);
    let photo_with_track = format!(
        "{PHOTO}[[media.tracks]]\nfile = \"photo.zh.captions.vtt\"\nlang = \"zh\"\nkind = \"captions\"\n"
    );
    write(
        &d.join("items/saddle/item.toml"),
        &item_toml("T-1", "published", &photo_with_track),
    );
    std::fs::write(d.join("items/saddle/photo.jpg"), jpeg_bytes(64, 48)).unwrap();
    std::fs::write(
        d.join("items/saddle/photo.zh.captions.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:01.000\n马鞍\n",
    )
    .unwrap();
    let song = "[[media]]\nfile = \"song.wav\"\nrights = \"https://creativecommons.org/publicdomain/zero/1.0/\"\n\
                [[media.tracks]]\nfile = \"song.vtt\"\nlang = \"mn\"\nkind = \"captions\"\n";
    write(
        &d.join("items/song/item.toml"),
        &item_toml("T-2", "published", song),
    );
    std::fs::write(d.join("items/song/song.wav"), crate::uploads::wav(1)).unwrap();
    std::fs::write(d.join("items/song/song.vtt"), "not a WebVTT file").unwrap();
    write(
        &d.join("exhibitions/tour.toml"),
        "base = \"test-hall\"\n[title]\nzh = \"导览\"\n[[stops]]\nitem = \"draft-saddle\"\naudio = 1\n",
    );
    write_draft_item(d);
    let app = TestApp::empty().await;
    let report = app.import(d).await;
    let errors: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors.iter().any(|e| e.contains("saddle/item.toml")
            && e.contains("is not audio or video, so it cannot have tracks")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("song/item.toml") && e.contains("song.vtt")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("tour.toml") && e.contains("is not an audio file")),
        "{errors:#?}"
    );
    assert!(app.item("saddle").await.is_none() && app.item("song").await.is_none());
    assert!(
        app.item("draft-saddle").await.is_some(),
        "the good record imports"
    );
}

#[tokio::test]
async fn reimporting_an_item_keeps_the_audio_guide_an_exhibition_chose_for_it() {
    let app = TestApp::with_samples().await;
    // The ger gets a recording with a transcript; its stop plays it as the audio guide.
    let dir = tempfile::tempdir().unwrap();
    let item = dir.path().join("items/mongolian-ger");
    std::fs::create_dir_all(&item).unwrap();
    std::fs::create_dir_all(dir.path().join("exhibitions")).unwrap();
    for entry in std::fs::read_dir("exhibits/items/mongolian-ger").unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), item.join(entry.file_name())).unwrap();
    }
    std::fs::write(item.join("guide.wav"), crate::uploads::wav(1)).unwrap();
    std::fs::write(
        item.join("guide.zh.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:01.000\n这是蒙古包。\n",
    )
    .unwrap();
    let mut record = std::fs::read_to_string(item.join("item.toml")).unwrap();
    record.push_str(
        "\n[[media]]\nfile = \"guide.wav\"\ncredit = \"test\"\n\
         rights = \"https://creativecommons.org/publicdomain/zero/1.0/\"\n\n\
         [[media.tracks]]\nfile = \"guide.zh.vtt\"\nlang = \"zh\"\nkind = \"captions\"\n",
    );
    std::fs::write(item.join("item.toml"), record).unwrap();
    let exhibition = std::fs::read_to_string("exhibits/exhibitions/life-on-the-steppe.toml")
        .unwrap()
        .replacen(
            "item = \"mongolian-ger\"\n",
            "item = \"mongolian-ger\"\naudio = 2\n",
            1,
        );
    let exhibition_file = dir.path().join("exhibitions/life-on-the-steppe.toml");
    std::fs::write(&exhibition_file, exhibition).unwrap();
    let report = app.import(dir.path()).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let stop = "/exhibitions/life-on-the-steppe/stops/1";
    assert!(
        app.page(stop).await.contains("这是蒙古包。"),
        "the guide plays"
    );

    // The item alone, imported again (its description edited in the folder, say): the
    // stop keeps its guide, with the transcript.
    std::fs::remove_file(exhibition_file).unwrap();
    let report = app.import(dir.path()).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let page = app.page(stop).await;
    assert!(
        page.contains("id=\"audio-guide\"") && page.contains("这是蒙古包。"),
        "the audio guide survives the item's re-import"
    );
}
