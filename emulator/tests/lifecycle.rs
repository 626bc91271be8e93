//! Process lifecycle: the `listening on` line, graceful shutdown, persistence across a
//! restart and a SIGKILL, and refusing bad flags.

mod common;

use std::process::Command;

use common::*;

fn db_arg(dir: &tempfile::TempDir) -> String {
    dir.path()
        .join("emulator.sqlite")
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn accounts_survive_a_graceful_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir);
    let args = ["--db", db.as_str(), "--rate-limit", "off"];
    let c = client();
    let mut emu = Emu::start(&args);
    let v = json_of(create(&c, &emu, &body("keep@example.com")).await).await;
    let env = v["product_environments"][0].clone();
    let status = emu.terminate();
    assert!(status.success(), "SIGTERM exits 0, got {status:?}");
    assert!(emu.log_text().contains("stopped"));

    let emu = Emu::start(&args);
    expect_account_exists(create(&c, &emu, &body("KEEP@example.com")).await).await;
    let mail = outbox(&c, &emu, "").await;
    assert_eq!(mail.as_array().unwrap().len(), 1);
    // The stored secret hash still checks the credentials.
    let res = c
        .get(emu.at(&format!(
            "/v1_1/{}/ping",
            env["cloud_name"].as_str().unwrap()
        )))
        .basic_auth(env["api_key"].as_str().unwrap(), env["api_secret"].as_str())
        .send()
        .await
        .unwrap();
    expect_error(res, 401, "authentication", "verification_pending").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_answered_account_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir);
    let args = [
        "--db",
        db.as_str(),
        "--rate-limit",
        "off",
        "--daily-cap",
        "off",
    ];
    let c = client();
    let mut emu = Emu::start(&args);
    let url = emu.at(ENDPOINT);
    // Concurrent requests, so several group commits are involved.
    let tasks: Vec<_> = (0..300)
        .map(|i| {
            let c = c.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let email = format!("kill{i}@example.com");
                let res = c.post(url).json(&body(&email)).send().await.unwrap();
                (email, res.status().as_u16())
            })
        })
        .collect();
    let mut answered = Vec::new();
    for t in tasks {
        let (email, status) = t.await.unwrap();
        assert_eq!(status, 200);
        answered.push(email);
    }
    emu.kill9();

    let emu = Emu::start(&args);
    let mail = outbox(&c, &emu, "?limit=1000").await;
    assert_eq!(mail.as_array().unwrap().len(), answered.len());
    for email in answered.iter().step_by(10) {
        let res = create(&c, &emu, &body(email)).await;
        assert_eq!(res.status(), 400, "{email} was lost");
    }
}

#[test]
fn a_signal_right_after_the_ready_line_stops_cleanly() {
    // The handlers are installed before `listening on` is printed, so however soon the
    // signal comes after it, the shutdown is the graceful one (exit 0), never the default
    // action of the signal.
    for signal in [libc::SIGTERM, libc::SIGINT].repeat(10) {
        let mut emu = Emu::start(&[]);
        let status = emu.signal(signal);
        assert!(status.success(), "signal {signal}: {status:?}");
    }
}

#[tokio::test]
async fn sigint_also_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir);
    let mut emu = Emu::start(&["--db", db.as_str()]);
    assert_eq!(
        create(&client(), &emu, &body("int@example.com"))
            .await
            .status(),
        200
    );
    let status = emu.signal(libc::SIGINT);
    assert!(status.success(), "SIGINT exits 0, got {status:?}");
    // The database was checkpointed and closed: no WAL is left behind.
    assert!(!dir.path().join("emulator.sqlite-wal").exists());
}

#[test]
fn bad_flags_and_files_fail_with_a_message() {
    let bin = env!("CARGO_BIN_EXE_agent-account-emulator");
    let dir = tempfile::tempdir().unwrap();
    let deny = temp_file(
        dir.path(),
        "deny.txt",
        "domain ok.example.com\ncolour blue\n",
    );
    for (args, needle) in [
        (vec!["--rate-limit", "lots"], "N/SECONDS"),
        (vec!["--daily-cap", "0"], "daily-cap"),
        (vec!["--cloud-daily-cap", "some"], "cloud-daily-cap"),
        (vec!["--cloud-lifetime", "0"], "cloud-lifetime"),
        (vec!["--listen", "nowhere"], "listen"),
        (vec!["--deny-file", deny.to_str().unwrap()], "line 2"),
        (vec!["--deny-file", "/nonexistent/deny.txt"], "cannot read"),
    ] {
        let mut cmd = Command::new(bin);
        if !args.contains(&"--listen") {
            cmd.args(["--listen", "127.0.0.1:0"]);
        }
        let out = cmd.args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("listening on"));
    }
}

#[test]
fn help_documents_the_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_agent-account-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--listen",
        "--db",
        "--rate-limit",
        "--daily-cap",
        "--test-controls",
        "--trust-forwarded-for",
        "--deny-file",
        "--header-read-timeout",
        "--body-read-timeout",
        "--max-connections",
        "--cloud-daily-cap",
        "--cloud-lifetime",
        "--caller-not-public",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    // And every flag --help lists has its row in the README's table.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let flags = help
        .split(|c: char| c.is_whitespace() || c == ',' || c == '=')
        .map(|w| w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .filter(|w| !["--help", "--version"].contains(w));
    for flag in flags {
        assert!(
            readme.contains(&format!("| `{flag}")),
            "{flag} has no row in README.md"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sigkill_during_checkpoints_loses_no_answered_account() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir);
    let args = [
        "--db",
        db.as_str(),
        "--rate-limit",
        "off",
        "--daily-cap",
        "off",
    ];
    let mut emu = Emu::start(&args);
    let c = client();
    let url = emu.at(ENDPOINT);
    let answered = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..32)
        .map(|w| {
            let (c, url, answered, stop) = (c.clone(), url.clone(), answered.clone(), stop.clone());
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let email = format!("ckpt{w}-{i}@example.com");
                    i += 1;
                    // Requests cut off by the kill have no answer and promise nothing.
                    if let Ok(res) = c.post(&url).json(&body(&email)).send().await {
                        if res.status() == 200 {
                            answered.lock().unwrap().push(email);
                        }
                    }
                }
            })
        })
        .collect();
    // Kill with requests in flight, after some seconds of checkpoints (one every 100 ms while
    // the WAL holds frames; the WAL restarts whenever a pass has copied it all).
    let started = std::time::Instant::now();
    while answered.lock().unwrap().len() < 800
        && started.elapsed() < std::time::Duration::from_secs(8)
    {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(dir.path().join("emulator.sqlite-wal").exists());
    emu.kill9();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() > 200, "only {} accounts", answered.len());

    let emu = Emu::start(&args);
    let index = json_of(c.get(emu.at("/")).send().await.unwrap()).await;
    assert!(index["accounts"].as_u64().unwrap() >= answered.len() as u64);
    let lost: Vec<&String> = {
        let mut lost = Vec::new();
        for chunk in answered.chunks(64) {
            let checks: Vec<_> = chunk
                .iter()
                .map(|email| {
                    let c = c.clone();
                    let u = emu.at(&format!("/_emulator/outbox?to={email}&limit=1"));
                    tokio::spawn(async move { c.get(u).send().await.unwrap().text().await })
                })
                .collect();
            for (email, check) in chunk.iter().zip(checks) {
                let mail: serde_json::Value =
                    serde_json::from_str(&check.await.unwrap().unwrap()).unwrap();
                if mail.as_array().is_none_or(|m| m.len() != 1) {
                    lost.push(email);
                }
            }
        }
        lost
    };
    assert!(
        lost.is_empty(),
        "{} answered accounts lost: {lost:?}",
        lost.len()
    );
}
