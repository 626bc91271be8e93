//! What a slow, idle or broken peer can cost the process: stalled connections are closed by
//! the header, body and idle timeouts, the connection limit keeps descriptors for the rest,
//! and a stderr that went away never costs a request its answer.

mod common;

use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Stalled connections opened against a process allowed 256 descriptors.
const STALLED: usize = 300;

/// Reads until the server closes the connection; false if it is still open at `deadline`.
async fn closed_by(mut stream: TcpStream, deadline: Instant) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_connections_are_closed_and_cannot_starve_the_server() {
    let emu = Emu::start_configured(
        &[
            "--header-read-timeout",
            "2",
            "--body-read-timeout",
            "2",
            "--rate-limit",
            "off",
            "--daily-cap",
            "off",
        ],
        &[],
        |cmd| {
            // `ulimit -n 256` for the emulator only.
            unsafe {
                cmd.pre_exec(|| {
                    let limit = libc::rlimit {
                        rlim_cur: 256,
                        rlim_max: 256,
                    };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                });
            }
        },
    );
    let addr = emu.url.trim_start_matches("http://").to_owned();
    let mut stalled = Vec::with_capacity(STALLED);
    for i in 0..STALLED {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        let opening: &[u8] = match i % 4 {
            // Half a request head, never finished.
            0 => b"POST /v1_1/provisioning/agents/accounts HTTP/1.1\r\nHost: x\r\n",
            // A JSON body that stops after ten bytes.
            1 => b"POST /v1_1/provisioning/agents/accounts HTTP/1.1\r\nHost: x\r\n\
                   Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"email\":",
            // The verification form, stalled the same way.
            2 => b"POST /verify/0000000000 HTTP/1.1\r\nHost: x\r\n\
                   Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\npass",
            // A whole request, then an idle keep-alive connection.
            _ => b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        };
        s.write_all(opening).await.unwrap();
        stalled.push(s);
    }

    // A normal request still gets through (it may wait in the backlog for a free slot).
    let started = Instant::now();
    let res = client().get(emu.at("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "answered after {:?}",
        started.elapsed()
    );

    let deadline = Instant::now() + Duration::from_secs(20);
    let results = futures_join_all(
        stalled
            .into_iter()
            .map(|s| tokio::spawn(closed_by(s, deadline))),
    )
    .await;
    let open: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, closed)| !**closed)
        .map(|(i, _)| i)
        .collect();
    assert!(open.is_empty(), "still open after 20 s: {open:?}");
    // And the server is still serving.
    let res = client().get(emu.at("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

async fn futures_join_all(tasks: impl Iterator<Item = tokio::task::JoinHandle<bool>>) -> Vec<bool> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// Sends a few requests that log (RUST_LOG=debug writes an access line for each) and checks
/// every one is answered.
async fn every_request_answered(emu: &Emu) {
    let c = client();
    for i in 0..5 {
        let res = create(&c, emu, &body(&format!("quiet{i}@example.com"))).await;
        assert_eq!(res.status(), 200);
        let res = c.get(emu.at("/nowhere")).send().await.unwrap();
        assert_eq!(res.status(), 404);
    }
    let v = json_of(c.get(emu.at("/")).send().await.unwrap()).await;
    assert_eq!(v["accounts"], 5);
}

#[tokio::test]
async fn a_stderr_whose_reader_went_away_costs_no_answer() {
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // Both ends owned; the read end is closed at once, as by a supervisor that exited.
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read_end);
    let emu = Emu::start_configured(
        &["--rate-limit", "off"],
        &[("RUST_LOG", "debug")],
        move |cmd| {
            cmd.stderr(Stdio::from(write_end));
        },
    );
    every_request_answered(&emu).await;
}

#[tokio::test]
async fn a_closed_stderr_costs_no_answer() {
    let emu = Emu::start_configured(&["--rate-limit", "off"], &[("RUST_LOG", "debug")], |cmd| {
        // `2>&-`
        unsafe {
            cmd.pre_exec(|| {
                libc::close(2);
                Ok(())
            });
        }
    });
    every_request_answered(&emu).await;
}

#[tokio::test]
async fn connections_over_the_limit_wait_for_a_free_slot() {
    let emu = Emu::start(&["--max-connections", "2", "--header-read-timeout", "3"]);
    let addr = emu.url.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        held.push(s);
    }
    // Let the emulator accept both before the third arrives.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let res = client().get(emu.at("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let waited = started.elapsed();
    // Served only once the header timeout freed a slot.
    assert!(waited >= Duration::from_secs(2), "served after {waited:?}");
    assert!(waited < Duration::from_secs(10), "served after {waited:?}");
}
