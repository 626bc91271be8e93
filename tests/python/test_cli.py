"""Cloudinary's CLI (`cld agent signup`) against the emulator."""

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from conftest import redact

CLD = str(Path(sys.executable).with_name("cld"))


def signup(url, email, *extra, home=None):
    home = home or tempfile.mkdtemp(prefix="cld-home-")
    env = dict(os.environ)
    env["HOME"] = home
    env["CLOUDINARY_URL"] = f"cloudinary://x:y@z?upload_prefix={url}"
    proc = subprocess.run(
        [CLD, "agent", "signup", email, "langchain", "claude-opus-4-8", "Host product images", *extra],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc, Path(home)


def test_signup_succeeds_and_saves_the_configuration(emulator_url, email):
    proc, home = signup(emulator_url, email, "--sdk-framework", "python")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode == 0, out
    assert "Cloudinary account created." in proc.stdout, out
    assert email in proc.stdout, out
    config = json.loads((home / ".cloudinary-cli" / "config.json").read_text())
    assert len(config) == 1, out
    (name, url), = config.items()
    saved = urllib.parse.urlparse(url)
    assert saved.scheme == "cloudinary" and saved.hostname == name, "the saved URL has the wrong shape"
    assert saved.username and saved.password, "the saved URL lacks the key or the secret"


def test_signup_json_output_is_the_raw_answer(emulator_url, email):
    proc, _ = signup(emulator_url, email, "--json", "--no-save")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode == 0, out
    start = proc.stdout.index("{")
    account = json.loads(proc.stdout[start:proc.stdout.rindex("}") + 1])
    assert account["plan_name"] == "free", out
    assert account["product_environments"][0]["api_environment_variable"].startswith("CLOUDINARY_URL="), out


def test_validation_error_message(emulator_url):
    proc, _ = signup(emulator_url, "not-an-address")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    # The CLI reads the Rails errors hash the real service sends, field by field.
    assert "Signup failed: email is invalid." in out, out


def test_existing_account_message(emulator_url, email):
    first, _ = signup(emulator_url, email)
    assert first.returncode == 0, redact(first.stdout + first.stderr)
    proc, _ = signup(emulator_url, email)  # a fresh HOME: no saved configuration
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    assert f"An account already exists for {email}" in out, out


def test_blocked_message(emulator_url):
    proc, _ = signup(emulator_url, "someone@blocked.example.com")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    assert "Signup failed: Error 403 - Invalid request." in out, out


def test_rate_limited_message(strict_emulator, email):
    first, _ = signup(strict_emulator.url, email)
    assert first.returncode == 0, redact(first.stdout + first.stderr)
    proc, _ = signup(strict_emulator.url, "second-" + email)
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    assert "Rate limited while creating the account: Error 429 - Rate limit exceeded" in out, out
