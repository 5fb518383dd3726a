//! Hall panoramas through HTTP: a base's curator uploads a 360° photograph of a hall, names
//! it, marks two items on it (by clicking, which fills the same fields typed here) and
//! visitors walk it: the base page offers it, its page shows numbered markers that link to
//! the items, the spherical viewer's photograph is served, and a later change shows at
//! once. Broken uploads and markers are refused with the reason and change nothing; other
//! bases' curators cannot touch it; fixity checks its photograph.

use crate::helpers::{HALL, SCHOOL, TestApp, multipart_form, session};
use crate::import::jpeg_bytes;
use axum::http::StatusCode;
use edubase::accounts::types::Role;

pub(crate) const PANORAMAS: &str = "/admin/bases/banner-heritage-hall/panoramas";

/// Uploads `file` (if any) with these texts; returns the response.
pub(crate) async fn upload(
    app: &TestApp,
    s: &crate::helpers::Session,
    texts: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> crate::helpers::TestResponse {
    let mut fields = vec![("_csrf", s.csrf.as_str())];
    fields.extend_from_slice(texts);
    let files: Vec<_> = file
        .map(|(name, bytes)| ("file", name, bytes))
        .into_iter()
        .collect();
    let (content_type, body) = multipart_form(&fields, &files);
    app.send(
        "POST",
        PANORAMAS,
        &[("cookie", &s.cookie), ("content-type", &content_type)],
        body,
        None,
    )
    .await
}

/// Uploads a generated `width` × `height` photograph with these texts; it must be added.
pub(crate) async fn added(
    app: &TestApp,
    s: &crate::helpers::Session,
    texts: &[(&str, &str)],
    (name, width, height): (&str, u32, u32),
) {
    let r = upload(app, s, texts, Some((name, &jpeg_bytes(width, height)))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

/// How many panoramas the whole catalogue has.
async fn panoramas_kept(app: &TestApp) -> usize {
    app.state.panoramas.panorama_hashes().await.unwrap().len()
}

pub(crate) const TEXTS: [(&str, &str); 3] = [
    ("title_zh", "一号展厅"),
    ("title_en", "Hall one"),
    ("alt_zh", "展厅全景：四周是展柜，中间是一顶蒙古包。"),
];

#[tokio::test]
async fn a_curator_marks_items_on_a_hall_panorama_and_visitors_walk_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::at(dir.path()).await;
    app.import(std::path::Path::new("exhibits")).await;
    let curator = session(&app, "curator.hall", Role::Curator, &[HALL]).await;
    let list = curator.get(&app, PANORAMAS).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("还没有全景照片"));

    // Refused: nothing, a text file, an upright photograph, no title, no alt text.
    let photo = jpeg_bytes(2000, 1000);
    let stored = app.state.blobs.originals().await.unwrap().len();
    for (texts, file, says) in [
        (
            &TEXTS[..],
            ("notes.txt", &b"just some text"[..]),
            "这个文件不能用",
        ),
        (
            &TEXTS[..],
            ("upright.jpg", &jpeg_bytes(800, 1200)[..]),
            "800 × 1200 px",
        ),
        (
            &TEXTS[2..],
            ("hall.jpg", &photo[..]),
            "请至少用一种语言填写标题",
        ),
        (&TEXTS[..2], ("hall.jpg", &photo[..]), "替代文字"),
    ] {
        let r = upload(&app, &curator, texts, Some(file)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", file.0);
        assert!(r.text().contains(says), "{says}: {}", r.text());
    }
    let r = upload(&app, &curator, &TEXTS, None).await;
    assert!(r.text().contains("请选择一张照片"));
    assert_eq!(
        app.state.blobs.originals().await.unwrap().len(),
        stored,
        "a refused photograph is never stored"
    );
    assert_eq!(panoramas_kept(&app).await, 0);

    let r = upload(&app, &curator, &TEXTS, Some(("hall-360.jpg", &photo))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = r.header("location").to_owned();
    assert_eq!(page, format!("{PANORAMAS}/1?added=1"));
    assert_eq!(app.last_audit().await.0, "panorama.create");

    // Two items marked, as a click fills the fields; broken markers are refused.
    let urliger = app.item("urliger").await.unwrap();
    let andai = app.item("andai-dance").await.unwrap();
    let spots = format!("{PANORAMAS}/1/spots");
    for (accession, x, y) in [
        (urliger.fields.accession.as_str(), "25", "50"),
        (andai.fields.accession.as_str(), "75.5%", "40"),
    ] {
        let r = curator
            .post(
                &app,
                &spots,
                &[("accession", accession), ("x", x), ("y", y)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    for (accession, x, y, says) in [
        ("NOPE-0001", "10", "10", "没有藏品编号为“NOPE-0001”的展品"),
        (
            urliger.fields.accession.as_str(),
            "150",
            "10",
            "“150”不是照片上的位置",
        ),
        (
            urliger.fields.accession.as_str(),
            "10",
            "abc",
            "“abc”不是照片上的位置",
        ),
        (
            urliger.fields.accession.as_str(),
            "",
            "10",
            "请点击照片上展品所在的位置",
        ),
    ] {
        let r = curator
            .post(
                &app,
                &spots,
                &[("accession", accession), ("x", x), ("y", y)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{accession} {x} {y}"
        );
        assert!(r.text().contains(says), "{says}: {}", r.text());
        assert!(
            r.text().contains(&format!("value=\"{x}\"")),
            "what was typed stays"
        );
    }
    let editor = curator.get(&app, &format!("{PANORAMAS}/1")).await.text();
    assert!(editor.contains(&format!("{} · ", urliger.fields.accession)));
    assert!(editor.contains("<td class=\"num\">75.5</td>"));

    // Visitors: the base page offers it; its page marks both items where they stand.
    let base = app.get(&format!("/bases/{HALL}")).await.text();
    assert!(base.contains(&format!("href=\"/bases/{HALL}/panoramas/1\"")));
    assert!(base.contains("标注了 2 件展品"));
    let r = app.get(&format!("/bases/{HALL}/panoramas/1")).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<h1 id=\"panorama-title\" lang=\"zh-Hans\">一号展厅</h1>"));
    assert!(html.contains("<a id=\"spot-1\" href=\"/items/urliger\" aria-label=\"1. "));
    assert!(
        html.contains("<circle cx=\"500\" cy=\"500\""),
        "25 % across, half-way down"
    );
    assert!(html.contains("<circle cx=\"1510\" cy=\"400\""));
    assert!(html.contains("data-x=\"0.755\" data-y=\"0.4\""));
    let sha = app.state.panoramas.panorama_hashes().await.unwrap()[0]
        .0
        .clone();
    assert!(
        html.contains(&format!("data-sphere=\"/media/{sha}/w4096.jpg\"")),
        "a 360° photograph"
    );
    assert!(html.contains("js/panorama.js"));
    let en = app
        .get(&format!("/bases/{HALL}/panoramas/1?lang=en"))
        .await
        .text();
    assert!(en.contains(">Hall one</h1>") && en.contains("In this hall"));
    let sitemap = app.get("/sitemaps/pages").await.text();
    assert!(sitemap.contains(&format!("/bases/{HALL}/panoramas/1</loc>")));
    for variant in ["w4096.jpg", "w800.jpg", "original"] {
        let r = app.get(&format!("/media/{sha}/{variant}")).await;
        assert_eq!(r.status, StatusCode::OK, "{variant}");
        assert_eq!(r.header("content-type"), "image/jpeg", "{variant}");
    }

    // The item's page says where it stands, and leads to its marker.
    let item = app.get("/items/andai-dance").await.text();
    assert!(
        item.contains(&format!("href=\"/bases/{HALL}/panoramas/1#spot-2\"")),
        "the item page links to its marker"
    );
    assert!(html.contains("<a id=\"spot-2\" href=\"/items/andai-dance\""));

    // A marker removed is gone from the public page at once.
    let r = curator.post(&app, &format!("{spots}/1/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.last_audit().await.0, "panorama.spot.remove");
    let html = app.get(&format!("/bases/{HALL}/panoramas/1")).await.text();
    assert!(!html.contains("/items/urliger") && html.contains("/items/andai-dance"));
    let r = curator.post(&app, &format!("{spots}/9/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Fixity knows whose photograph it is.
    let path = crate::helpers::original_file(dir.path(), &sha);
    std::fs::remove_file(&path).unwrap();
    let run = app.state.run_fixity(&mut |_, _| {}).await.unwrap();
    assert_eq!(run.report.missing.len(), 1);
    assert_eq!(run.report.missing[0].bases[0].as_str(), HALL);
    assert!(run.report.missing[0].items.is_empty());

    // Removed: its page is gone.
    let r = curator
        .post(&app, &format!("{PANORAMAS}/1/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.get(&format!("/bases/{HALL}/panoramas/1")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn other_bases_curators_see_nothing_and_wide_photographs_stay_flat() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "curator.hall", Role::Curator, &[HALL]).await;
    added(&app, &curator, &TEXTS, ("hall.jpg", 1600, 600)).await;
    let page = app.get(&format!("/bases/{HALL}/panoramas/1")).await.text();
    assert!(
        !page.contains("data-sphere=\"/media"),
        "a wide photograph is not a sphere"
    );
    assert!(!page.contains("js/panorama.js"));

    // A draft item marked on it stays out of public view until it is published.
    let urliger = app.item("urliger").await.unwrap();
    let mut draft = urliger.fields.clone();
    draft.accession = edubase::catalogue::types::Accession::parse("KZH-DRAFT-9").unwrap();
    draft.slug = edubase::catalogue::types::Slug::parse("unfinished-saddle").unwrap();
    draft.status = edubase::catalogue::types::Status::Draft;
    app.state
        .editor
        .create_item(
            &draft,
            &urliger.base.slug,
            &edubase::repo::Actor::system("test"),
        )
        .await
        .unwrap();
    let r = curator
        .post(
            &app,
            &format!("{PANORAMAS}/1/spots"),
            &[("accession", "KZH-DRAFT-9"), ("x", "50"), ("y", "50")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let admin = curator.get(&app, &format!("{PANORAMAS}/1")).await.text();
    assert!(
        admin.contains("KZH-DRAFT-9"),
        "the curator sees the draft's marker"
    );
    let public = app.get(&format!("/bases/{HALL}/panoramas/1")).await.text();
    assert!(!public.contains("unfinished-saddle"), "the public does not");
    let api = app.get(&format!("/api/v1/bases/{HALL}")).await.text();
    assert!(!api.contains("KZH-DRAFT-9"));
    let draft_page = app.get("/items/unfinished-saddle").await;
    assert_eq!(draft_page.status, StatusCode::NOT_FOUND);

    let stranger = session(&app, "curator.school", Role::Curator, &[SCHOOL]).await;
    for uri in [PANORAMAS.to_owned(), format!("{PANORAMAS}/1")] {
        assert_eq!(
            stranger.get(&app, &uri).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
    let r = stranger
        .post(&app, &format!("{PANORAMAS}/1/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A form without the session's token changes nothing.
    let r = app
        .post_form(
            &format!("{PANORAMAS}/1/remove"),
            &[("_csrf", "forged")],
            &[("cookie", &curator.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for missing in [
        "/bases/banner-heritage-hall/panoramas/2",
        "/bases/banner-heritage-hall/panoramas/x",
        "/bases/nowhere/panoramas/1",
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    assert_eq!(panoramas_kept(&app).await, 1);
}

#[tokio::test]
async fn an_imported_panorama_is_checked_like_an_upload_and_updated_in_place() {
    let app = TestApp::with_samples().await;
    let urliger = app.item("urliger").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("panoramas");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("hall.jpg"), jpeg_bytes(2000, 1000)).unwrap();
    let record = |x: &str| {
        format!(
            "base = \"{HALL}\"\nfile = \"hall.jpg\"\n[title]\nzh = \"一号展厅\"\n[alt]\nzh = \"展厅全景\"\n\n\
             [[spots]]\nitem = \"{}\"\nx = {x}\ny = 0.5\n",
            urliger.fields.accession
        )
    };
    // An upright photograph is refused, and not stored.
    std::fs::write(folder.join("hall.jpg"), jpeg_bytes(800, 1200)).unwrap();
    std::fs::write(folder.join("hall.toml"), record("0.25")).unwrap();
    let stored = app.state.blobs.originals().await.unwrap().len();
    let report = app.import(dir.path()).await;
    let error = report.errors[0].to_string();
    assert!(error.contains("800 × 1200 px"), "{error}");
    assert_eq!(app.state.blobs.originals().await.unwrap().len(), stored);

    std::fs::write(folder.join("hall.jpg"), jpeg_bytes(2000, 1000)).unwrap();
    std::fs::write(folder.join("hall.toml"), record("1.5")).unwrap();
    let report = app.import(dir.path()).await;
    assert_eq!(report.panoramas, 0);
    let error = report.errors[0].to_string();
    assert!(
        error.contains("hall.toml:8:") && error.contains("fractions"),
        "{error}"
    );
    assert_eq!(panoramas_kept(&app).await, 0);

    std::fs::write(folder.join("hall.toml"), record("0.25")).unwrap();
    for _ in 0..2 {
        let report = app.import(dir.path()).await;
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.panoramas, 1);
    }
    let hall = edubase::catalogue::types::Slug::parse(HALL).unwrap();
    let all = app
        .state
        .panoramas
        .panoramas(&hall, edubase::repo::Visibility::All)
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "imported twice, kept once");
    assert_eq!(all[0].spots.len(), 1);
    let page = app.get(&format!("/bases/{HALL}/panoramas/1")).await.text();
    assert!(page.contains("<circle cx=\"500\" cy=\"500\""));
}

/// Two panoramas of the sample hall, written straight to the repository (for tests of
/// other interfaces): a 360° one with urliger marked, and a wide one, with a door each way.
pub(crate) async fn hall_panorama(app: &TestApp) {
    use edubase::catalogue::panorama::{NewDoor, NewPanorama, NewSpot, PanoramaImage};
    let dir = tempfile::tempdir().unwrap();
    let urliger = app.item("urliger").await.unwrap();
    let actor = edubase::repo::Actor::system("test");
    for (n, (w, h)) in [(2000, 1000), (1600, 600)].into_iter().enumerate() {
        let photo = dir.path().join(format!("hall-{n}.jpg"));
        std::fs::write(&photo, jpeg_bytes(w, h)).unwrap();
        let file = app
            .state
            .ingest
            .accept_path(&photo, &edubase::media::ingest::anywhere)
            .await
            .unwrap()
            .file;
        let new = NewPanorama {
            title: edubase::i18n::LocalizedText::zh(["一号展厅", "二号展厅"][n]),
            alt: edubase::i18n::LocalizedText::zh("展厅全景"),
            image: PanoramaImage {
                sha256: file.sha256,
                mime: file.mime,
                bytes: file.bytes,
                width: i64::from(w),
                height: i64::from(h),
                original_name: format!("hall-{n}.jpg"),
            },
            spots: if n == 0 {
                vec![NewSpot {
                    item: urliger.fields.accession.clone(),
                    x: 0.25,
                    y: 0.5,
                }]
            } else {
                Vec::new()
            },
        };
        app.state
            .panoramas
            .add_panorama(&urliger.base.slug, &new, &actor)
            .await
            .unwrap();
    }
    for (from, to) in [(1, 2), (2, 1)] {
        let door = NewDoor {
            to,
            x: 0.9,
            y: 0.45,
        };
        app.state
            .panoramas
            .add_door(&urliger.base.slug, from, &door, &actor)
            .await
            .unwrap()
            .unwrap();
    }
}
