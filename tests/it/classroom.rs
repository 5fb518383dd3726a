//! The classroom through HTTP: a teacher sets a visit, three students join (one continues
//! on a second device with the resume code), answer, write and submit; the dashboard and
//! the CSV show exactly that; another assignment's student sees none of it. What the
//! classroom refuses and forgets is in [`crate::classroom_limits`].

use crate::helpers::{Session, session};
use crate::helpers::{TestApp, TestResponse};
use axum::http::StatusCode;

use edubase::accounts::types::Role;
use edubase::classroom::model::Assignment;
use edubase::stats::today;

const EXHIBITION: &str = "life-on-the-steppe";
const STOPS: usize = 8;

pub(crate) fn location(r: &TestResponse) -> String {
    r.header("location").to_owned()
}

/// A student's device: its cookie jar holds at most the visit cookie.
#[derive(Default)]
pub(crate) struct Device {
    pub(crate) cookie: String,
}

impl Device {
    pub(crate) async fn get(&self, app: &TestApp, uri: &str) -> TestResponse {
        app.get_with(uri, &[("cookie", &self.cookie)]).await
    }

    pub(crate) async fn post(
        &mut self,
        app: &TestApp,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let r = app
            .post_form(uri, fields, &[("cookie", &self.cookie)])
            .await;
        let set = r.cookie();
        if set.starts_with("edubase_visit_") {
            self.cookie = if set.ends_with('=') {
                String::new()
            } else {
                set
            };
        }
        r
    }
}

/// A class and an assignment of `teacher`, with a multiple-choice question at stop 1 and a
/// short answer at stop 2. Returns the assignment.
pub(crate) async fn set_visit(
    app: &TestApp,
    teacher: &Session,
    school: &str,
    grade: &str,
) -> Assignment {
    set_visit_for(app, teacher, school, grade, 7).await
}

/// The same, open for `days` more days after today.
pub(crate) async fn set_visit_for(
    app: &TestApp,
    teacher: &Session,
    school: &str,
    grade: &str,
    days: u64,
) -> Assignment {
    let class = format!(
        "/admin/classes/{}",
        add_class(app, teacher, school, grade, "三班").await
    );
    let opens = today().to_string();
    let closes = (today() + chrono::Days::new(days)).to_string();
    let r = teacher
        .post(
            app,
            &format!("{class}/assignments"),
            &[
                ("exhibition", EXHIBITION),
                ("instructions", "周五前完成。"),
                ("essay_prompt", "写一写草原上的生活"),
                ("essay_min_chars", "10"),
                ("opens", &opens),
                ("closes", &closes),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = location(&r);
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    for question in [
        vec![
            ("stop", "1"),
            ("kind", "choice"),
            ("prompt", "蒙古包的门通常朝哪个方向？"),
            ("choices", "东南\n西北\n正北"),
            ("answer", "1"),
        ],
        vec![
            ("stop", "2"),
            ("kind", "short"),
            ("prompt", "牧民家里有什么？"),
        ],
    ] {
        let r = teacher
            .post(app, &format!("{page}/questions"), &question)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    app.state
        .classroom
        .repo()
        .assignment(id)
        .await
        .unwrap()
        .unwrap()
}

/// Adds a class for `teacher` through the class form; returns its id.
pub(crate) async fn add_class(
    app: &TestApp,
    teacher: &Session,
    school: &str,
    grade: &str,
    name: &str,
) -> String {
    let fields = [("school", school), ("grade", grade), ("name", name)];
    let r = teacher.post(app, "/admin/classes", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    location(&r).rsplit('/').next().unwrap().to_owned()
}

/// Joins `a` as `nickname` on a fresh device; returns it and the resume code shown.
pub(crate) async fn join(app: &TestApp, a: &Assignment, nickname: &str) -> (Device, String) {
    let mut d = Device::default();
    let r = d
        .post(
            app,
            &format!("/visit/{}/join", a.code),
            &[("nickname", nickname)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(location(&r), format!("/visit/{}?joined=1", a.code));
    let set = r.header("set-cookie");
    assert!(
        set.contains("HttpOnly")
            && set.contains("SameSite=Lax")
            && set.contains(&format!("Path=/visit/{}", a.code)),
        "{set}"
    );
    let page = d.get(app, &location(&r)).await.text();
    let start = page
        .find("id=\"resume-code\">")
        .expect("the resume code is shown")
        + 17;
    let resume = page[start..start + 9].to_owned();
    assert!(page.contains(nickname) || nickname.contains('<'));
    (d, resume)
}

/// Opens stops `1..=upto`.
pub(crate) async fn walk(app: &TestApp, d: &Device, a: &Assignment, upto: usize) {
    for n in 1..=upto {
        let r = d.get(app, &format!("/visit/{}/stops/{n}", a.code)).await;
        assert_eq!(r.status, StatusCode::OK, "stop {n}: {}", r.text());
        assert!(
            r.text().contains(&format!("max=\"{STOPS}\" value=\"{n}\"")),
            "progress bar at {n}"
        );
    }
}

async fn answer(app: &TestApp, d: &mut Device, a: &Assignment, choice: &str, short: &str) {
    let (q1, q2) = (a.questions[0].id, a.questions[1].id);
    let r = d
        .post(
            app,
            &format!("/visit/{}/stops/1", a.code),
            &[(&format!("q{q1}"), choice)],
        )
        .await;
    assert_eq!(location(&r), format!("/visit/{}/stops/2", a.code));
    let r = d
        .post(
            app,
            &format!("/visit/{}/stops/2", a.code),
            &[(&format!("q{q2}"), short)],
        )
        .await;
    assert_eq!(location(&r), format!("/visit/{}/stops/3", a.code));
}

pub(crate) async fn submit(
    app: &TestApp,
    d: &mut Device,
    a: &Assignment,
    essay: &str,
) -> TestResponse {
    d.post(
        app,
        &format!("/visit/{}/essay", a.code),
        &[("essay", essay), ("action", "submit")],
    )
    .await
}

#[tokio::test]
async fn three_students_visit_write_and_submit_and_their_teacher_sees_exactly_that() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    assert_eq!(a.questions.len(), 2);

    // The teacher's page shows the code large, the QR code and the handout.
    let page = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains(&a.code.grouped()) && page.text().contains("<svg"));
    let handout = teacher
        .get(&app, &format!("/admin/assignments/{}/handout", a.id))
        .await;
    assert!(handout.text().contains(&a.code.grouped()) && handout.text().contains("<svg"));
    assert!(
        handout
            .text()
            .contains(&format!("http://edubase.test/visit/{}", a.code))
    );

    // Entering the code (lower case, with a dash) leads to the assignment.
    let typed = a.code.grouped().to_lowercase();
    let r = app.get(&format!("/visit?code={typed}")).await;
    assert_eq!(location(&r), format!("/visit/{}", a.code));
    assert!(
        app.page(&format!("/visit/{}", a.code))
            .await
            .contains("周五前完成。")
    );

    // 1. 其木格: every stop, right answer, submits.
    let (mut qimg, _) = join(&app, &a, "其木格").await;
    walk(&app, &qimg, &a, STOPS).await;
    answer(&app, &mut qimg, &a, "0", "马鞍和奶桶").await;
    let draft = qimg
        .post(
            &app,
            &format!("/visit/{}/essay", a.code),
            &[("essay", "草原上的"), ("autosave", "1")],
        )
        .await;
    assert_eq!(draft.status, StatusCode::OK);
    assert_eq!(draft.json()["saved"], true);
    let short = submit(&app, &mut qimg, &a, "太短").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().contains("至少需要 10 字") && short.text().contains("太短"));
    let r = submit(
        &app,
        &mut qimg,
        &a,
        "我参观了草原上的蒙古包，知道了牧民的生活。",
    )
    .await;
    assert_eq!(location(&r), format!("/visit/{}/done", a.code));
    let done = qimg.get(&app, &location(&r)).await.text();
    assert!(
        done.contains("作文已提交") && done.contains("1 / 1"),
        "{done}"
    );

    // 2. Bold <b>: three stops, a wrong answer, an essay with markup (escaped everywhere).
    let (mut bold, _) = join(&app, &a, "<b>巴特</b>").await;
    walk(&app, &bold, &a, 3).await;
    answer(&app, &mut bold, &a, "1", "<script>alert(1)</script>").await;
    let r = submit(
        &app,
        &mut bold,
        &a,
        "<script>alert('作文')</script>我喜欢马头琴。",
    )
    .await;
    assert_eq!(location(&r), format!("/visit/{}/done", a.code));

    // 3. 乌兰 starts on one phone and finishes on another with the resume code.
    let (mut phone, resume) = join(&app, &a, "乌兰").await;
    walk(&app, &phone, &a, 4).await;
    phone
        .post(
            &app,
            &format!("/visit/{}/essay", a.code),
            &[("essay", "第一台手机上写的开头。"), ("action", "save")],
        )
        .await;
    let mut tablet = Device::default();
    let r = tablet
        .post(
            &app,
            &format!("/visit/{}/resume", a.code),
            &[("resume", &resume.to_lowercase())],
        )
        .await;
    assert_eq!(location(&r), format!("/visit/{}", a.code), "{}", r.text());
    let essay = tablet
        .get(&app, &format!("/visit/{}/essay", a.code))
        .await
        .text();
    assert!(essay.contains("第一台手机上写的开头。") && essay.contains("乌兰"));
    walk(&app, &tablet, &a, STOPS).await;
    answer(&app, &mut tablet, &a, "0", "").await;
    let r = submit(
        &app,
        &mut tablet,
        &a,
        "第一台手机上写的开头。在平板上写完了。",
    )
    .await;
    assert_eq!(location(&r), format!("/visit/{}/done", a.code));
    let again = submit(&app, &mut phone, &a, "想改一下").await;
    assert_eq!(
        again.status,
        StatusCode::FORBIDDEN,
        "submitted work no longer changes"
    );
    assert!(again.text().contains("已经提交"));

    // The dashboard: three students, everything as done above, markup escaped.
    let html = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await
        .text();
    assert!(html.contains("共 3 人，已交作文 3 篇"), "{html}");
    assert!(html.contains("&lt;b&gt;巴特") && !html.contains("<b>巴特"));
    let rows: Vec<&str> = html.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 3);
    assert!(
        rows[0].contains("其木格")
            && rows[0].contains(&format!("{STOPS}/{STOPS}"))
            && rows[0].contains("2/2")
            && rows[0].contains("1/1")
    );
    assert!(rows[1].contains("3/8") && rows[1].contains("0/1"));
    assert!(
        rows[2].contains("乌兰")
            && rows[2].contains("8/8")
            && rows[2].contains("1/2")
            && rows[2].contains("1/1")
    );
    let visit_id = a.id; // read 巴特's essay, escaped
    let visits = app
        .state
        .classroom
        .repo()
        .visits_of(visit_id)
        .await
        .unwrap();
    let essay = teacher
        .get(
            &app,
            &format!("/admin/assignments/{}/visits/{}", a.id, visits[1].id),
        )
        .await
        .text();
    assert!(essay.contains("&#60;script&#62;alert(") && !essay.contains("<script>alert("));

    // The CSV: a byte-order mark, then exactly those rows.
    let csv = teacher
        .get(&app, &format!("/admin/assignments/{}/export.csv", a.id))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert_eq!(&csv.bytes[..3], b"\xEF\xBB\xBF");
    let mut reader = csv::Reader::from_reader(&csv.bytes[3..]);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(records.len(), 3);
    let cols = |r: &Vec<String>| r[..6].to_vec();
    assert_eq!(
        cols(&records[0]),
        ["其木格", "8/8", "2/2", "1/1", "已提交", "21"]
    );
    assert_eq!(
        cols(&records[1]),
        ["<b>巴特</b>", "3/8", "2/2", "0/1", "已提交", "35"]
    );
    assert_eq!(
        cols(&records[2]),
        ["乌兰", "8/8", "1/2", "1/1", "已提交", "19"]
    );
    assert_eq!(records[0][7], "东南", "the choice, in words");
    assert_eq!(records[1][8], "<script>alert(1)</script>");
    // The essay, then the teacher's comment and grade (none yet).
    let n = records[2].len();
    assert_eq!(
        records[2][n - 3..],
        ["第一台手机上写的开头。在平板上写完了。", "", ""]
    );
}

#[tokio::test]
async fn a_student_of_another_assignment_and_another_teacher_see_none_of_it() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let other = session(&app, "teacher.li", Role::Teacher, &[]).await;
    let curator = session(&app, "curator", Role::Curator, &[]).await;
    let mine = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let theirs = set_visit(&app, &other, "阿古拉中心校", "五年级").await;
    let (mut student, resume) = join(&app, &mine, "其木格").await;
    submit(&app, &mut student, &mine, "我的作文，别人看不到。").await;

    // A student of the other assignment: their device opens nothing of this one.
    let (stranger, _) = join(&app, &theirs, "敖登").await;
    for path in ["essay", "stops/1", "done"] {
        let r = stranger
            .get(&app, &format!("/visit/{}/{path}", mine.code))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&r), format!("/visit/{}", mine.code));
    }
    let join_page = stranger
        .get(&app, &format!("/visit/{}", mine.code))
        .await
        .text();
    assert!(!join_page.contains("其木格") && !join_page.contains("别人看不到"));
    // A resume code works only in its own assignment.
    let mut d = Device::default();
    let r = d
        .post(
            &app,
            &format!("/visit/{}/resume", theirs.code),
            &[("resume", &resume)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(d.cookie.is_empty());

    // The other teacher: 404 on every page of this class; curators have no classes.
    for uri in [
        format!("/admin/classes/{}", mine.class.id),
        format!("/admin/assignments/{}", mine.id),
        format!("/admin/assignments/{}/export.csv", mine.id),
        format!("/admin/assignments/{}/handout", mine.id),
    ] {
        assert_eq!(
            other.get(&app, &uri).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
        assert_eq!(
            curator.get(&app, &uri).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
    let r = other
        .post(
            &app,
            &format!("/admin/classes/{}/delete", mine.class.id),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let list = other.get(&app, "/admin/classes").await.text();
    assert!(list.contains(&format!("/admin/classes/{}\"", theirs.class.id)));
    assert!(!list.contains(&format!("/admin/classes/{}\"", mine.class.id)));
    assert!(
        list.contains("href=\"/admin/classes\""),
        "teachers have a classes menu entry"
    );

    // The owner deletes the class: its visits and essays go with it.
    let r = teacher
        .post(
            &app,
            &format!("/admin/classes/{}/delete", mine.class.id),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/admin/classes?deleted=1");
    assert!(
        app.state
            .classroom
            .repo()
            .assignment(mine.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.get(&format!("/visit/{}", mine.code)).await.status,
        StatusCode::NOT_FOUND
    );
}
