//! Doors between hall panoramas: a curator places a door from one hall to another by
//! clicking and choosing where it leads (refused with the reason for a door to itself, to a
//! hall the base lacks, or past the limit); visitors see it on the photograph, in the list
//! and in the API; it goes when either hall goes. The importer connects doors by the other
//! panorama's file name.

use crate::helpers::{HALL, SCHOOL, TestApp, session};
use crate::import::jpeg_bytes;
use crate::panoramas::{PANORAMAS, TEXTS, added};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

#[tokio::test]
async fn doors_lead_visitors_from_hall_to_hall() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "curator.hall", Role::Curator, &[HALL]).await;
    added(&app, &curator, &TEXTS, ("one.jpg", 2000, 1000)).await;
    let editor = curator.get(&app, &format!("{PANORAMAS}/1")).await.text();
    assert!(
        editor.contains("请先为本基地添加另一张全景照片"),
        "a door needs somewhere to lead"
    );
    let second = [
        ("title_zh", "二号展厅"),
        ("alt_zh", "第二个展厅，墙上挂着马具。"),
    ];
    added(&app, &curator, &second, ("two.jpg", 1600, 600)).await;
    let editor = curator.get(&app, &format!("{PANORAMAS}/1")).await.text();
    assert!(editor.contains("<option value=\"2\">2. 二号展厅</option>"));
    assert!(!editor.contains("<option value=\"1\">"), "not to itself");

    // Refused with the reason, keeping what was typed; nothing placed.
    let doors = format!("{PANORAMAS}/1/doors");
    for (to, x, y, says) in [
        ("", "90", "50", "请选择门通往的全景照片"),
        ("1", "90", "50", "not to the one it is on"),
        ("7", "90", "50", "this base has no panorama 7"),
        ("2", "abc", "50", "“abc”不是照片上的位置"),
        ("2", "90", "", "请点击照片上展品所在的位置"),
    ] {
        let r = curator
            .post(&app, &doors, &[("to", to), ("x", x), ("y", y)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{to} {x} {y}");
        assert!(r.text().contains(says), "{says}: {}", r.text());
        assert!(
            r.text()
                .contains(&format!("id=\"door-x\" name=\"x\" value=\"{x}\""))
        );
    }
    let r = curator
        .post(&app, &doors, &[("to", "2"), ("x", "7"), ("y", "101")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("<option value=\"2\" selected>"),
        "the chosen hall stays chosen"
    );
    let r = curator
        .post(&app, &doors, &[("to", "2"), ("x", "90"), ("y", "45")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.header("location"),
        format!("{PANORAMAS}/1?door-placed=1#doors")
    );
    assert_eq!(app.last_audit().await.0, "panorama.door.add");
    let stranger = session(&app, "curator.school", Role::Curator, &[SCHOOL]).await;
    let r = stranger
        .post(&app, &doors, &[("to", "2"), ("x", "10"), ("y", "10")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Visitors see a door on the photograph and a way out below, in their language.
    let html = app.get(&format!("/bases/{HALL}/panoramas/1")).await.text();
    assert!(
        html.contains(&format!(
            "<a id=\"door-1\" class=\"door\" href=\"/bases/{HALL}/panoramas/2\" aria-label=\"前往二号展厅\"><rect x=\"1765\" y=\"415\""
        )),
        "90 % across, 45 % down, less the door's half-width: {html}"
    );
    assert!(html.contains("<h2 id=\"panorama-doors\">从这里前往</h2>"));
    assert!(
        html.contains("箭头通往其他展厅"),
        "the hint says what the arrows are"
    );
    assert!(html.contains(&format!(
        "<li data-x=\"0.9\" data-y=\"0.45\"><a href=\"/bases/{HALL}/panoramas/2\" lang=\"zh-Hans\">二号展厅</a></li>"
    )));
    let api = app.get(&format!("/api/v1/bases/{HALL}")).await.json();
    let door = &api["panoramas"][0]["doors"][0];
    assert_eq!(door["to"], 2);
    assert_eq!(door["title"]["zh"], "二号展厅");
    assert_eq!(
        door["url"],
        format!("http://edubase.test/bases/{HALL}/panoramas/2")
    );
    assert_eq!(api["panoramas"][1]["doors"].as_array().unwrap().len(), 0);

    // A door removed is gone; so is a door to a panorama removed.
    let r = curator.post(&app, &format!("{doors}/1/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.last_audit().await.0, "panorama.door.remove");
    let r = curator.post(&app, &format!("{doors}/1/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let html = app.get(&format!("/bases/{HALL}/panoramas/1")).await.text();
    assert!(!html.contains("panoramas/2"));
    for _ in 0..12 {
        let r = curator
            .post(&app, &doors, &[("to", "2"), ("x", "50"), ("y", "50")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let r = curator
        .post(&app, &doors, &[("to", "2"), ("x", "50"), ("y", "50")])
        .await;
    assert!(r.text().contains("最多放置 12 扇门"), "{}", r.text());
    let r = curator
        .post(&app, &format!("{PANORAMAS}/2/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = app.get(&format!("/bases/{HALL}/panoramas/1")).await.text();
    assert!(!html.contains("class=\"door\"") && !html.contains("panorama-doors"));
    assert!(!html.contains("箭头通往其他展厅"));
}

#[tokio::test]
async fn imported_doors_name_the_other_panoramas_file() {
    let app = TestApp::with_samples().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("panoramas");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("east.jpg"), jpeg_bytes(2000, 1000)).unwrap();
    std::fs::write(folder.join("west.jpg"), jpeg_bytes(1600, 600)).unwrap();
    let record = |file: &str, title: &str, to: &str| {
        format!(
            "base = \"{HALL}\"\nfile = \"{file}\"\n[title]\nzh = \"{title}\"\n[alt]\nzh = \"展厅全景\"\n\n\
             [[doors]]\nto = \"{to}\"\nx = 0.1\ny = 0.5\n"
        )
    };
    std::fs::write(folder.join("east.toml"), record("east.jpg", "东厅", "west")).unwrap();
    std::fs::write(
        folder.join("west.toml"),
        record("west.jpg", "西厅", "north"),
    )
    .unwrap();
    let report = app.import(dir.path()).await;
    assert_eq!(report.panoramas, 2);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let error = report.errors[0].to_string();
    assert!(
        error.contains("west.toml:8:") && error.contains("\"north\""),
        "{error}"
    );

    std::fs::write(folder.join("west.toml"), record("west.jpg", "西厅", "west")).unwrap();
    let report = app.import(dir.path()).await;
    let error = report.errors[0].to_string();
    assert!(
        error.contains("west.toml:8:") && error.contains("same panorama"),
        "a door to itself is named by line: {error}"
    );

    std::fs::write(folder.join("west.toml"), record("west.jpg", "西厅", "east")).unwrap();
    for _ in 0..2 {
        let report = app.import(dir.path()).await;
        assert!(report.errors.is_empty(), "{:?}", report.errors);
    }
    let hall = edubase::catalogue::types::Slug::parse(HALL).unwrap();
    let all = app
        .state
        .panoramas
        .panoramas(&hall, edubase::repo::Visibility::All)
        .await
        .unwrap();
    let doors: Vec<_> = all
        .iter()
        .map(|p| (p.number, p.doors.iter().map(|d| d.to).collect::<Vec<_>>()))
        .collect();
    assert_eq!(
        doors,
        [(1, vec![2]), (2, vec![1])],
        "re-imported, not doubled"
    );
}
