//! The teacher sees what an essay shares word for word with the exhibition's own text or
//! with a classmate's essay: the share on the dashboard and in the CSV, the passages
//! marked on the essay's page. Own words are not marked.

use crate::classroom::{add_class, join, location, set_visit, submit};
use crate::helpers::{TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

/// The ger's summary, as the exhibition shows it at its first stop.
const LABEL: &str = "蒙古包是为游牧迁徙而设计的可拆装住房：木架不用一根钉子，外面盖着毛毡，几个人不到一小时就能搭好或拆下。";

#[tokio::test]
async fn copied_label_text_and_a_copied_classmate_are_shown_to_the_teacher() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let copier = format!("我参观了展览，最喜欢草原上的蒙古包。{LABEL}我觉得很神奇。");
    let own = "我最喜欢马头琴。它的声音让我想起爷爷讲的故事，也想起夏天的那达慕。";
    let borrowed = format!("我参观了展览，最喜欢草原上的蒙古包。{LABEL}");
    for (name, essay) in [
        ("其木格", copier.as_str()),
        ("巴特尔", own),
        ("乌兰", borrowed.as_str()),
    ] {
        let (mut d, _) = join(&app, &a, name).await;
        let r = submit(&app, &mut d, &a, essay).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    let board = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await
        .text();
    let row = |name: &str| {
        let at = board
            .find(&format!(">{name}</a>"))
            .expect("a row per student");
        board[at..at + board[at..].find("</tr>").unwrap()].to_owned()
    };
    assert!(
        row("其木格").contains("class=\"overlap flagged\""),
        "{}",
        row("其木格")
    );
    let share = |row: &str, label: &str| -> u32 {
        let at = row
            .find(label)
            .unwrap_or_else(|| panic!("{label} in {row}"))
            + label.len();
        row[at..].split('%').next().unwrap().trim().parse().unwrap()
    };
    assert!(
        (60..=80).contains(&share(&row("其木格"), "展品说明")),
        "{}",
        row("其木格")
    );
    assert!(
        !row("巴特尔").contains("class=\"overlap"),
        "own words: {}",
        row("巴特尔")
    );
    // 乌兰 copied the label and 其木格's own sentence: both are shown, and the label they
    // both quote does not count as copied from each other.
    assert!(share(&row("乌兰"), "展品说明") > 60);
    assert!(
        (15..=30).contains(&share(&row("乌兰"), "与其木格")),
        "{}",
        row("乌兰")
    );

    let visits = app.state.classroom.repo().visits_of(a.id).await.unwrap();
    let page = teacher
        .get(
            &app,
            &format!("/admin/assignments/{}/visits/{}", a.id, visits[0].id),
        )
        .await
        .text();
    assert!(
        page.contains(
            "（以下出自展品说明）</span>蒙古包是为游牧迁徙而设计的可拆装住房：木架不用一根钉子"
        ),
        "{page}"
    );
    // Screen readers hear where each marked passage was found, before and after it.
    assert!(page.contains(
        "（以下与乌兰的作文相同）</span>我参观了展览，最喜欢草原上的蒙古包<span class=\"visually-hidden\">（标记结束）</span></mark>"
    ));
    assert!(page.contains("</mark>。我觉得很神奇。"));
    let own_page = teacher
        .get(
            &app,
            &format!("/admin/assignments/{}/visits/{}", a.id, visits[1].id),
        )
        .await
        .text();
    assert!(
        !own_page.contains("<mark class=")
            && own_page.contains("没有与展品说明或同学作文连续 12 个字以上相同的文字。")
    );

    // From one essay to the next, in joining order, for grading them one after another.
    assert!(page.contains(&format!(
        "rel=\"next\" href=\"/admin/assignments/{}/visits/{}#feedback\">下一篇：巴特尔 →",
        a.id, visits[1].id
    )));
    assert!(
        !page.contains("rel=\"prev\""),
        "the first has none before it"
    );
    assert!(own_page.contains("上一篇：其木格") && own_page.contains("下一篇：乌兰"));

    let csv = teacher
        .get(&app, &format!("/admin/assignments/{}/export.csv", a.id))
        .await
        .text();
    assert!(
        csv.contains("与展品说明相同（%）") && csv.contains("(其木格)"),
        "{csv}"
    );
}

#[tokio::test]
async fn words_copied_from_a_recordings_transcript_count_as_the_exhibitions() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let dir = tempfile::tempdir().unwrap();
    crate::export::add_audio_guide(&app, dir.path(), "life-on-the-steppe", "mongolian-ger").await;
    let guide = app.item("mongolian-ger").await.unwrap();
    let audio = guide.media.iter().find(|m| !m.tracks.is_empty()).unwrap();
    let told = "胡尔奇拉起四胡，唱起了英雄格斯尔可汗的故事，一唱就是三天三夜。";
    let audit = edubase::repo::AuditEntry {
        actor: None,
        actor_name: "test".into(),
        action: "media.track.set".into(),
        entity: "item".into(),
        entity_id: "mongolian-ger".into(),
        before: None,
        after: None,
    };
    let track = edubase::catalogue::model::MediaTrack {
        lang: edubase::i18n::Lang::Zh,
        kind: edubase::catalogue::model::TrackKind::Captions,
        vtt: format!("WEBVTT\n\n00:00.000 --> 00:05.000\n{told}\n"),
    };
    app.state
        .catalogue
        .set_media_track(audio.id, &track, &audit)
        .await
        .unwrap();
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let (mut d, _) = join(&app, &a, "其木格").await;
    submit(&app, &mut d, &a, &format!("我听了录音。{told}")).await;
    let board = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await
        .text();
    assert!(board.contains("class=\"overlap flagged\""), "{board}");
}

#[tokio::test]
async fn an_essay_copied_from_the_teachers_other_class_is_shown_but_not_another_teachers() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let other = session(&app, "teacher.hu", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    // The same walk for the teacher's 四班, and another teacher's class.
    let four = add_class(&app, &teacher, "甘旗卡第二中学", "七年级", "四班").await;
    let r = teacher
        .post(
            &app,
            &format!("/admin/assignments/{}/copy", a.id),
            &[("class", &four)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = location(&r);
    let b_id: i64 = to
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let repo = app.state.classroom.repo();
    let b = repo.assignment(b_id).await.unwrap().unwrap();
    let theirs = set_visit(&app, &other, "阿古拉小学", "七年级").await;

    let essay = "我最喜欢马头琴。它的声音让我想起爷爷讲的故事，也想起夏天的那达慕和草原上的风。";
    for (assignment, name) in [(&a, "其木格"), (&b, "乌兰"), (&theirs, "巴特")] {
        let (mut d, _) = join(&app, assignment, name).await;
        let r = submit(&app, &mut d, assignment, essay).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    let qimuge = repo.visits_of(a.id).await.unwrap()[0].id;
    let wulan = repo.visits_of(b.id).await.unwrap()[0].id;

    // Each class's dashboard names the student in the other class, with the class.
    let board_a = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await
        .text();
    assert!(board_a.contains("与四班 · 乌兰 100%"), "{board_a}");
    let board_b = teacher
        .get(&app, &format!("/admin/assignments/{}", b.id))
        .await
        .text();
    assert!(board_b.contains("与三班 · 其木格 100%"), "{board_b}");
    // The essay page marks the passage and opens the other class's essay.
    let page = teacher
        .get(&app, &format!("/admin/assignments/{}/visits/{wulan}", b.id))
        .await
        .text();
    assert!(
        page.contains(&format!(
            "href=\"/admin/assignments/{}/visits/{qimuge}#shared\"",
            a.id
        )),
        "{page}"
    );
    // Another teacher's student is never named, to either teacher.
    for page in [&board_a, &board_b, &page] {
        assert!(!page.contains("巴特"), "{page}");
    }
    let board_theirs = other
        .get(&app, &format!("/admin/assignments/{}", theirs.id))
        .await
        .text();
    assert!(!board_theirs.contains("其木格") && !board_theirs.contains("class=\"overlap"));
}
