"""Fixtures for the tests of Cloudinary's own clients against the emulator.

`scripts/test-emulator.sh` starts the shared emulator and sets EMULATOR_URL and EMULATOR_BIN.
Run directly, the tests start their own (EMULATOR_BIN, or the debug build).
"""

import os
import re
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "support"))
from emulator import Emulator  # noqa: E402  (tests/support is not a package on the path)

DENY_RULES = Path(__file__).with_name("deny-rules.txt")


@pytest.fixture(scope="session")
def emulator_url():
    """The shared emulator: test controls on, no daily caps, the deny rules of this folder."""
    url = os.environ.get("EMULATOR_URL")
    if url:
        yield url.rstrip("/")
        return
    emu = Emulator(
        "--test-controls", "--daily-cap", "off", "--cloud-daily-cap", "off",
        "--deny-file", str(DENY_RULES),
    )
    yield emu.url
    emu.stop()


def dedicated(*args):
    """The body of a fixture that gives a test an emulator of its own, started with `args` and
    stopped afterwards, even when the test fails."""
    emu = Emulator(*args)
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def strict_emulator():
    """A dedicated emulator allowing one account per IP a day (the real cap is 10)."""
    yield from dedicated("--daily-cap", "1")


@pytest.fixture
def region_blocked_emulator(tmp_path):
    """A dedicated emulator whose `region` rule covers the loopback addresses the tests use."""
    rules = tmp_path / "region.txt"
    rules.write_text("region 127.0.0.0/8\n")
    yield from dedicated("--deny-file", str(rules))


@pytest.fixture
def closed_emulator():
    """A dedicated emulator with agent sign-up switched off."""
    yield from dedicated("--registration-disabled")


@pytest.fixture
def strict_cloud_emulator():
    """A dedicated emulator allowing one Claimable Cloud per IP a day (the real cap is about 10)."""
    yield from dedicated("--cloud-daily-cap", "1")


@pytest.fixture
def private_caller_emulator():
    """A dedicated emulator that counts the caller's address as not public (a VPN, a gateway)."""
    yield from dedicated("--caller-not-public")


@pytest.fixture
def clock_emulator():
    """A dedicated emulator whose clock a test may move (the shared one's stays put)."""
    yield from dedicated("--test-controls")


@pytest.fixture
def email():
    """A fresh, obviously fake address."""
    return f"py-{uuid.uuid4().hex[:12]}@example.com"


_SECRET_PATTERNS = [
    re.compile(r"cloudinary://[^\s\"']+"),
    re.compile(r"(\"?api_secret\"?\s*[:=]\s*\"?)[^\s\"',]+"),
]


_CLAIM_TOKEN = re.compile(r"((?:token=|/claim/confirm/))[^\s\"'&]+")


def redact(text, *secrets):
    """Text safe to show in a failure message: no secret, no CLOUDINARY_URL, no claim token."""
    for s in secrets:
        if s:
            text = text.replace(s, "<redacted>")
    text = _SECRET_PATTERNS[0].sub("cloudinary://<redacted>", text)
    # A claim or confirmation token keeps (or claims) a cloud: a credential too.
    text = _CLAIM_TOKEN.sub(r"\1<redacted>", text)
    return _SECRET_PATTERNS[1].sub(r"\1<redacted>", text)
