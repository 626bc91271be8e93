//! The emulator for the Rust tests, with the contract of tests/support/process.mjs: the real
//! `agent-account-emulator` binary started with `--listen 127.0.0.1:0` and the caller's args,
//! ready at its first stdout line `listening on URL` (20 s at most), stopped with SIGTERM (a
//! test of the graceful exit fails after 10 s); dropped, it is killed. Included by
//! emulator/tests/common/mod.rs, where `CARGO_BIN_EXE_agent-account-emulator` is defined.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const START_TIMEOUT: Duration = Duration::from_secs(20);
const STOP_GRACE: Duration = Duration::from_secs(10);

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
        // Read on a thread, so a binary that never prints fails the test instead of hanging it.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(START_TIMEOUT).unwrap_or_default();
        let Some(url) = line.trim_end().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "no `listening on` line within {START_TIMEOUT:?} (got {line:?}); log: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        };
        let url = url.trim_end_matches('/').to_owned();
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

    /// Sends `signal` and waits for the exit (STOP_GRACE at most, then kills it and fails).
    pub fn signal(&mut self, signal: i32) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        unsafe {
            libc::kill(child.id() as i32, signal);
        }
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > STOP_GRACE {
                let _ = child.kill();
                panic!("the emulator did not exit within {STOP_GRACE:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGKILL and reaps the process.
    pub fn kill9(&mut self) {
        let mut child = self.child.take().expect("running");
        child.kill().unwrap();
        child.wait().unwrap();
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
