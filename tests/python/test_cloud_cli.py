"""Cloudinary's CLI (`cld agent cloud create` / `claim`) against the emulator's Claimable Cloud
endpoint."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import redact

CLD = str(Path(sys.executable).with_name("cld"))


def cld(url, *args, home=None):
    home = home or tempfile.mkdtemp(prefix="cld-home-")
    env = dict(os.environ)
    env["HOME"] = home
    env["CLOUDINARY_URL"] = f"cloudinary://x:y@z?upload_prefix={url}"
    proc = subprocess.run(
        [CLD, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc, home


def json_of(stdout):
    return json.loads(stdout[stdout.index("{"):stdout.rindex("}") + 1])


def test_create_json_no_save_prints_the_raw_flat_answer(emulator_url):
    proc, _ = cld(emulator_url, "agent", "cloud", "create", "--json", "--no-save")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode == 0, out
    cloud = json_of(proc.stdout)
    assert cloud["claimed"] is False, out
    assert cloud["delivery_ips"] == ["127.0.0.1"], out
    assert cloud["api_environment_variable"].startswith("CLOUDINARY_URL=cloudinary://"), out
    assert "Nothing was saved (--no-save)" in proc.stderr + proc.stdout, out


def test_create_with_an_email_and_ips(emulator_url, email):
    proc, _ = cld(
        emulator_url, "agent", "cloud", "create", email, "--ip", "203.0.113.7", "--ip", "2001:db8::7",
        "--agent-framework", "langchain", "--sdk-framework", "python", "--json", "--no-save",
    )
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode == 0, out
    cloud = json_of(proc.stdout)
    assert cloud["email"] == email, out
    assert cloud["delivery_ips"] == ["203.0.113.7", "2001:db8::7", "127.0.0.1"], out


def test_create_saves_and_claim_prints_the_claim_url(emulator_url, email):
    proc, home = cld(emulator_url, "agent", "cloud", "create", email)
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode == 0, out
    assert "Claimable Cloud created." in proc.stdout, out
    config = json.loads((Path(home) / ".cloudinary-cli" / "config.json").read_text())
    (name, _), = config.items()
    proc, _ = cld(emulator_url, "agent", "cloud", "claim", name, "--json", home=home)
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode == 0, out
    claim = json_of(proc.stdout)
    assert claim["cloud_name"] == name, out
    assert claim["claim_url"].startswith(f"{emulator_url}/claim?token="), out
    assert claim["expires_at"], out


def test_too_many_ips_message(emulator_url):
    ips = [a for ip in ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"] for a in ("--ip", ip)]
    proc, _ = cld(emulator_url, "agent", "cloud", "create", *ips, "--json", "--no-save")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    assert "Could not create the cloud: Error 400 - At most 3 delivery_ips are allowed." in out, out


def test_invalid_ip_message(emulator_url):
    proc, _ = cld(emulator_url, "agent", "cloud", "create", "--ip", "not-an-ip", "--json", "--no-save")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    assert "Could not create the cloud: Error 400 - Invalid delivery IP: not-an-ip." in out, out


def test_rate_limited_message(strict_cloud_emulator):
    first, _ = cld(strict_cloud_emulator.url, "agent", "cloud", "create", "--json", "--no-save")
    assert first.returncode == 0, redact(first.stdout + first.stderr)
    proc, _ = cld(strict_cloud_emulator.url, "agent", "cloud", "create", "--json", "--no-save")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    assert "Rate limited while creating the cloud: Error 429 - Rate limit exceeded" in out, out


def test_region_message(region_blocked_emulator):
    proc, _ = cld(region_blocked_emulator.url, "agent", "cloud", "create", "--json", "--no-save")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    assert "Could not create the cloud: Error 403 - Location not permitted." in out, out


def test_registration_disabled_message(closed_emulator):
    proc, _ = cld(closed_emulator.url, "agent", "cloud", "create", "--json", "--no-save")
    out = redact(proc.stdout + proc.stderr)
    assert proc.returncode != 0, out
    assert "Cloud provisioning is currently disabled by Cloudinary" in out, out
