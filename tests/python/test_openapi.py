"""The emulator's OpenAPI document is valid OpenAPI 3.1, served as committed."""

import json
import urllib.request
from pathlib import Path

from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

DOC = Path(__file__).resolve().parents[2] / "emulator" / "openapi.json"


def test_document_is_valid_openapi_3_1():
    spec, _ = read_from_filename(str(DOC))
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_served_document_is_the_committed_one(emulator_url):
    with urllib.request.urlopen(f"{emulator_url}/openapi.json", timeout=10) as res:
        assert json.load(res) == json.loads(DOC.read_text())
