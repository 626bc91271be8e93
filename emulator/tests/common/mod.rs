//! Starts the real `agent-account-emulator` binary on 127.0.0.1:0 for a test and stops it
//! when the test ends.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The account endpoint.
pub const ENDPOINT: &str = "/v1_1/provisioning/agents/accounts";

/// The Claimable Cloud endpoint.
pub const CLOUD_ENDPOINT: &str = "/v1_1/provisioning/clouds";

/// A running emulator.
pub struct Emu {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// Where its stderr (the log) goes.
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Emu {
    /// Starts the binary with `args` (plus `--listen 127.0.0.1:0`) and waits for its
    /// `listening on` line.
    pub fn start(args: &[&str]) -> Emu {
        Self::start_with_env(args, &[])
    }

    /// Like `start`, with extra environment variables.
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Emu {
        Self::start_configured(args, env, |_| {})
    }

    /// Like `start_with_env`, after `configure` has adjusted the command (a descriptor limit,
    /// another stderr...).
    pub fn start_configured(
        args: &[&str],
        env: &[(&str, &str)],
        configure: impl FnOnce(&mut Command),
    ) -> Emu {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("stderr.log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_agent-account-emulator"));
        cmd.arg("--listen")
            .arg("127.0.0.1:0")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        for (k, v) in env {
            cmd.env(k, v);
        }
        configure(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let url = line
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "no `listening on` line (got {line:?}); log: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert!(!url.ends_with(":0"), "the real port is printed: {url}");
        Emu {
            child: Some(child),
            url,
            log,
            _dir: dir,
        }
    }

    /// `self.url` + `path`.
    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// The log written so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the exit.
    pub fn terminate(&mut self) -> ExitStatus {
        self.signal(libc::SIGTERM)
    }

    /// Sends `signal` and waits for the exit.
    pub fn signal(&mut self, signal: i32) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        unsafe {
            libc::kill(child.id() as i32, signal);
        }
        wait_with_timeout(&mut child, Duration::from_secs(20))
    }

    /// Sends SIGKILL and reaps the process.
    pub fn kill9(&mut self) {
        let mut child = self.child.take().expect("running");
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

fn wait_with_timeout(child: &mut Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the emulator did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A client that never goes through a proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A valid request body for `email`.
pub fn body(email: &str) -> Value {
    json!({
        "email": email,
        "agent_framework": "langchain",
        "agent_llm_model": "claude-opus-4-8",
        "agent_goal": "Host product images for a test shop",
    })
}

/// POSTs a JSON value to the account endpoint.
pub async fn create(c: &reqwest::Client, emu: &Emu, body: &Value) -> reqwest::Response {
    c.post(emu.at(ENDPOINT)).json(body).send().await.unwrap()
}

/// POSTs with an `X-Forwarded-For` header.
pub async fn create_from(
    c: &reqwest::Client,
    emu: &Emu,
    body: &Value,
    ip: &str,
) -> reqwest::Response {
    c.post(emu.at(ENDPOINT))
        .header("x-forwarded-for", ip)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The JSON of an answer.
pub async fn json_of(res: reqwest::Response) -> Value {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts an error answer's status, category and code; returns the `error` object.
pub async fn expect_error(
    res: reqwest::Response,
    status: u16,
    category: &str,
    code: &str,
) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    assert!(res.headers().contains_key("x-request-id"));
    let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("application/json"), "{ct}");
    let v = json_of(res).await;
    let e = v["error"].clone();
    assert_eq!(e["category"], category, "{v}");
    assert_eq!(e["code"], code, "{v}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    e
}

/// Asserts an error answer is exactly `{"error":{"category":"user_error","message":...}}`,
/// the real service's shape for validation and duplicate 400s and the generic 403: no
/// `code`, no `issues`, no other key.
pub async fn expect_user_error(res: reqwest::Response, status: u16, message: &str) {
    assert_eq!(res.status().as_u16(), status, "status");
    assert!(res.headers().contains_key("x-request-id"));
    let v = json_of(res).await;
    assert_eq!(
        v,
        json!({"error": {"category": "user_error", "message": message}}),
        "the body is exactly the documented envelope"
    );
}

/// The message of the duplicate-address 400 (a Rails errors hash, which the CLI recognises).
pub const TAKEN_MESSAGE: &str = r#"{"email":["has already been taken"]}"#;

/// Asserts the answer is the duplicate-address error, exactly as the real service sends it.
pub async fn expect_account_exists(res: reqwest::Response) {
    expect_user_error(res, 400, TAKEN_MESSAGE).await;
}

/// A temporary file with `text`.
pub fn temp_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// POSTs a JSON value to the cloud endpoint, from `ip` when given (`X-Forwarded-For`: the
/// emulator must trust it).
pub async fn create_cloud(
    c: &reqwest::Client,
    emu: &Emu,
    body: &Value,
    ip: Option<&str>,
) -> reqwest::Response {
    let mut req = c.post(emu.at(CLOUD_ENDPOINT)).json(body);
    if let Some(ip) = ip {
        req = req.header("x-forwarded-for", ip);
    }
    req.send().await.unwrap()
}

/// The Admin API ping with these credentials.
pub async fn ping(
    c: &reqwest::Client,
    emu: &Emu,
    cloud: &str,
    key: &str,
    secret: &str,
) -> reqwest::Response {
    c.get(emu.at(&format!("/v1_1/{cloud}/ping")))
        .basic_auth(key, Some(secret))
        .send()
        .await
        .unwrap()
}

/// Moves the emulator clock forward (needs `--test-controls`).
pub async fn advance(c: &reqwest::Client, emu: &Emu, seconds: u64) {
    let res = c
        .post(emu.at(&format!("/_emulator/clock/advance?seconds={seconds}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}
