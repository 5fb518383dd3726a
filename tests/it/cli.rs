//! The command line, run as a deployment script would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn edubase(data: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_edubase"))
        .arg("--data")
        .arg(data)
        .args(["--exhibits", "none"])
        .args(args)
        .env_remove("EDUBASE_DATABASE_URL")
        .env_remove("EDUBASE_MEDIA_URL")
        .env("EDUBASE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn users_are_managed_from_scripts_with_passwords_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = edubase(
        d,
        &[
            "user",
            "add",
            "--username",
            "Boss",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "草原上的马头琴2026\n",
    );
    assert!(add.status.success(), "{}", text(&add));
    assert!(text(&add).contains("created boss (admin)"));

    let weak = edubase(
        d,
        &[
            "user",
            "add",
            "--username",
            "teacher.li",
            "--role",
            "teacher",
            "--password-stdin",
        ],
        "123\n",
    );
    assert!(!weak.status.success());
    assert!(text(&weak).contains("too weak"), "{}", text(&weak));
    let no_base = edubase(
        d,
        &[
            "user",
            "add",
            "--username",
            "curator",
            "--role",
            "curator",
            "--base",
            "nowhere",
            "--password-stdin",
        ],
        "草原上的马头琴2026\n",
    );
    assert!(!no_base.status.success());
    assert!(text(&no_base).contains("nowhere"), "{}", text(&no_base));
    let taken = edubase(
        d,
        &[
            "user",
            "add",
            "--username",
            "boss",
            "--role",
            "teacher",
            "--password-stdin",
        ],
        "草原上的马头琴2026\n",
    );
    assert!(text(&taken).contains("already taken"), "{}", text(&taken));
    let no_stdin_flag = edubase(
        d,
        &["user", "add", "--username", "x1x", "--role", "teacher"],
        "",
    );
    assert!(
        !no_stdin_flag.status.success(),
        "passwords never come from arguments"
    );

    assert!(
        edubase(
            d,
            &["user", "reset", "--username", "boss", "--password-stdin"],
            "另一个很长的密码-42\n"
        )
        .status
        .success()
    );
    assert!(
        edubase(d, &["user", "disable", "--username", "boss"], "")
            .status
            .success()
    );
    let list = edubase(d, &["user", "list"], "");
    assert!(
        text(&list).contains("boss\tadmin\t (disabled)"),
        "{}",
        text(&list)
    );
    let missing = edubase(d, &["user", "disable", "--username", "ghost"], "");
    assert!(!missing.status.success() && text(&missing).contains("no user named ghost"));
}

#[test]
fn a_media_address_that_is_no_bucket_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (url, says) in [
        ("https://minio.example/heritage", "s3://bucket/prefix"),
        ("s3://Heritage_Media/x", "is not a bucket name"),
        ("s3://heritage-media/../other", "plain names"),
    ] {
        let out = edubase(&data, &["--media-url", url, "fixity"], "");
        assert!(!out.status.success(), "{url} accepted");
        assert!(text(&out).contains(says), "{url}: {}", text(&out));
    }
    assert!(
        !data.exists(),
        "a data folder was made for a refused setting"
    );
}

#[test]
fn import_reports_broken_records_with_file_and_line_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("catalogue");
    std::fs::create_dir_all(src.join("bases")).unwrap();
    std::fs::write(
        src.join("bases/hall.toml"),
        "kind = \"palace\"\n[name]\nzh = \"馆\"\n",
    )
    .unwrap();
    let out = edubase(
        &dir.path().join("data"),
        &["import", src.to_str().unwrap()],
        "",
    );
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("hall.toml:1:") && t.contains("palace"), "{t}");
    assert!(t.contains("1 records failed"), "{t}");
}

#[test]
fn derive_makes_one_derivative_through_the_server_code_path() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jpg");
    std::fs::write(&input, crate::import::jpeg_bytes(640, 480)).unwrap();
    let out = dir.path().join("out.webp");
    let run = edubase(
        dir.path(),
        &[
            "derive",
            "--width",
            "200",
            "--format",
            "webp",
            "-o",
            out.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        "",
    );
    assert!(run.status.success(), "{}", text(&run));
    let img = image::load_from_memory(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (200, 150));
    let broken = dir.path().join("broken.jpg");
    std::fs::write(&broken, b"\xFF\xD8\xFF\xE0 not a jpeg").unwrap();
    let run = edubase(
        dir.path(),
        &[
            "derive",
            "--width",
            "200",
            "-o",
            out.to_str().unwrap(),
            broken.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        !run.status.success(),
        "a broken image is an error, not a crash"
    );
    assert!(text(&run).contains("broken.jpg"), "{}", text(&run));
}

#[test]
fn a_catalogue_moves_to_another_database_by_export_and_import() {
    let from = tempfile::tempdir().unwrap();
    let to = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("catalogue");
    let folder_arg = folder.to_str().unwrap();
    let import = edubase(from.path(), &["import", "exhibits"], "");
    assert!(import.status.success(), "{}", text(&import));
    let export = edubase(from.path(), &["export", folder_arg], "");
    assert!(export.status.success(), "{}", text(&export));
    assert!(
        text(&export).contains("exported 2 bases, 20 items"),
        "{}",
        text(&export)
    );
    let again = edubase(from.path(), &["export", folder_arg], "");
    assert!(!again.status.success(), "a full folder is refused");
    assert!(text(&again).contains("is not empty"), "{}", text(&again));
    let moved = edubase(to.path(), &["import", folder_arg], "");
    assert!(moved.status.success(), "{}", text(&moved));
    assert!(
        text(&moved).contains("imported 2 bases, 20 items")
            && text(&moved).contains("0 records failed"),
        "{}",
        text(&moved)
    );
}

#[test]
fn media_are_copied_to_another_store_whole_and_checked() {
    let from = tempfile::tempdir().unwrap();
    let import = edubase(from.path(), &["import", "exhibits"], "");
    assert!(import.status.success(), "{}", text(&import));
    let mine = originals(from.path());
    // Into a folder laid out as a media store (so `--data` of its parent uses it).
    let to = tempfile::tempdir().unwrap();
    let target = to.path().join("media");
    let copy = edubase(from.path(), &["copy-media", target.to_str().unwrap()], "");
    assert!(copy.status.success(), "{}", text(&copy));
    let n = mine.len();
    assert!(
        text(&copy).contains(&format!("copied {n} originals")),
        "{}",
        text(&copy)
    );
    let theirs = originals(to.path());
    assert_eq!(
        theirs.iter().map(|(sha, _)| sha).collect::<Vec<_>>(),
        mine.iter().map(|(sha, _)| sha).collect::<Vec<_>>()
    );
    for ((_, a), (_, b)) in mine.iter().zip(&theirs) {
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    }
    // Again: nothing to do. A file damaged since is reported, not copied, and the command
    // fails, so a script notices.
    let again = edubase(from.path(), &["copy-media", target.to_str().unwrap()], "");
    assert!(
        text(&again).contains(&format!("{n} were there already")),
        "{}",
        text(&again)
    );
    std::fs::remove_file(&theirs[0].1).unwrap();
    let mut bytes = std::fs::read(&mine[0].1).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&mine[0].1, bytes).unwrap();
    let damaged = edubase(from.path(), &["copy-media", target.to_str().unwrap()], "");
    assert!(!damaged.status.success());
    assert!(
        text(&damaged).contains(&format!("corrupt, not copied: {}", mine[0].0)),
        "{}",
        text(&damaged)
    );
    assert!(
        !theirs[0].1.exists(),
        "a damaged file never reaches the target"
    );
    // Into an S3-compatible store and back, when CI gives one.
    if let Ok(url) = std::env::var("EDUBASE_TEST_S3_URL") {
        let bucket = format!(
            "{}/cli-{}",
            url.trim_end_matches('/'),
            hex::encode(crate::storage::rand_bytes())
        );
        let up = edubase(to.path(), &["copy-media", &bucket], "");
        assert!(up.status.success(), "{}", text(&up));
        let back = tempfile::tempdir().unwrap();
        let target = back.path().join("media");
        let down = edubase(
            to.path(),
            &[
                "--media-url",
                &bucket,
                "copy-media",
                target.to_str().unwrap(),
            ],
            "",
        );
        assert!(down.status.success(), "{}", text(&down));
        assert_eq!(originals(back.path()).len(), n - 1);
    }
}

/// The stored originals under a data folder: (sha256, path).
fn originals(data: &std::path::Path) -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    for a in std::fs::read_dir(data.join("media")).unwrap() {
        let a = a.unwrap().path();
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        if name.len() != 2 || !a.is_dir() {
            continue;
        }
        for b in std::fs::read_dir(&a).unwrap() {
            for f in std::fs::read_dir(b.unwrap().path()).unwrap() {
                let f = f.unwrap().path();
                out.push((f.file_name().unwrap().to_string_lossy().into_owned(), f));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixity_finds_a_flipped_byte_and_a_lost_file_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let import = edubase(d, &["import", "exhibits"], "");
    assert!(import.status.success(), "{}", text(&import));
    let clean = edubase(d, &["fixity"], "");
    assert!(clean.status.success(), "{}", text(&clean));
    let files = originals(d);
    assert!(files.len() > 10);
    assert!(
        text(&clean).contains(&format!("checked {} originals", files.len()))
            && text(&clean).contains("0 missing, 0 corrupt"),
        "{}",
        text(&clean)
    );

    let (flipped, path) = &files[0];
    let mut bytes = std::fs::read(path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(path, &bytes).unwrap();
    let (lost, lost_path) = &files[1];
    std::fs::remove_file(lost_path).unwrap();

    let damaged = edubase(d, &["fixity"], "");
    let out = text(&damaged);
    assert!(!damaged.status.success(), "{out}");
    assert!(
        out.contains(&format!("corrupt: {flipped} (items: ")),
        "{out}"
    );
    assert!(out.contains(&format!("missing: {lost} (items: ")), "{out}");
    assert!(out.contains("1 missing, 1 corrupt"), "{out}");
    assert_eq!(
        std::fs::read(path).unwrap(),
        bytes,
        "the damaged file is left for a person to look at"
    );
}
