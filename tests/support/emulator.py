"""The emulator for the Python tests, with the contract of tests/support/process.mjs: the
binary (EMULATOR_BIN, or the dev-profile build) started with `--listen 127.0.0.1:0` and the
caller's args, ready at its first stdout line `listening on URL` (20 s at most), stopped with
SIGTERM, then SIGKILL after 10 s."""

import os
import selectors
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 20
STOP_GRACE_S = 10


def emulator_bin():
    """The emulator binary: EMULATOR_BIN, or the debug build of CARGO_TARGET_DIR (or target/)."""
    path = os.environ.get("EMULATOR_BIN") or str(
        Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug" / "agent-account-emulator"
    )
    if not Path(path).is_file():
        raise FileNotFoundError(f"no emulator binary at {path}; run `make emulator`")
    return path


class Emulator:
    """An emulator process on 127.0.0.1, port 0, stopped by `stop()`."""

    def __init__(self, *args):
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [emulator_bin(), "--listen", "127.0.0.1:0", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            line = self.proc.stdout.readline() if sel.select(START_TIMEOUT_S) else ""
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"the emulator did not start: {line!r}")
        self.url = line[len("listening on "):].strip().rstrip("/")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
