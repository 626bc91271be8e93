"""Cloudinary's Python SDK (`cloudinary`) against the emulator: it cannot tell it from the
real service for this endpoint."""

import json
import urllib.parse
import urllib.request

import cloudinary
import cloudinary.api
import cloudinary.exceptions
import cloudinary.provisioning
import pytest

from conftest import redact


def create(url, email, **kwargs):
    cloudinary.config(upload_prefix=url)
    return cloudinary.provisioning.create_agent_account(
        email,
        kwargs.pop("agent_framework", "langchain"),
        kwargs.pop("agent_llm_model", "claude-opus-4-8"),
        kwargs.pop("agent_goal", "Host product images for a test shop"),
        **kwargs,
    )


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as res:
        return json.load(res)


def test_success_has_the_documented_shape(emulator_url, email):
    account = create(emulator_url, email, sdk_framework="python")
    env = account["product_environments"][0]
    secret = env["api_secret"]
    summary = redact(json.dumps(account), secret)
    assert account["email"] == email, summary
    assert account["plan_name"] == "free", summary
    assert len(account["external_id"]) == 32, summary
    assert len(account["product_environments"]) == 1, summary
    assert len(env["api_key"]) == 15 and env["api_key"].isdigit(), summary
    assert env["api_environment_variable"] == (
        f"CLOUDINARY_URL=cloudinary://{env['api_key']}:{secret}@{env['cloud_name']}"
    ), summary
    assert "pip install cloudinary" in account["guidance"], summary
    assert ".env" in account["guidance"], summary


def test_credentials_work_after_verification(emulator_url, email):
    account = create(emulator_url, email)
    env = account["product_environments"][0]
    auth = dict(
        cloud_name=env["cloud_name"],
        api_key=env["api_key"],
        api_secret=env["api_secret"],
        upload_prefix=emulator_url,
    )
    # The SDK's own Admin API ping: refused until the e-mail is verified.
    with pytest.raises(cloudinary.exceptions.AuthorizationRequired) as refused:
        cloudinary.api.ping(**auth)
    assert "verification is pending" in str(refused.value)

    mail = get_json(f"{emulator_url}/_emulator/outbox?to={urllib.parse.quote(email)}")
    assert len(mail) == 1
    form = urllib.parse.urlencode({"password": "a long enough password"}).encode()
    with urllib.request.urlopen(mail[0]["verify_url"], data=form, timeout=10) as res:
        assert res.status == 200
        assert "Your account is active" in res.read().decode()

    assert cloudinary.api.ping(**auth)["status"] == "ok"


def test_invalid_request_raises_bad_request(emulator_url, email):
    with pytest.raises(cloudinary.exceptions.BadRequest) as err:
        create(emulator_url, email, agent_goal="x")
    # The real service's form: a Rails errors hash in the message.
    assert str(err.value) == (
        'Error 400 - {"agent_goal":["is too short (minimum is 2 characters)"]}'
    )


def test_existing_account_raises_bad_request(emulator_url, email):
    create(emulator_url, email)
    with pytest.raises(cloudinary.exceptions.BadRequest) as err:
        create(emulator_url, email.upper())
    assert str(err.value) == 'Error 400 - {"email":["has already been taken"]}'


def test_disposable_domain_raises_bad_request(emulator_url):
    with pytest.raises(cloudinary.exceptions.BadRequest) as err:
        create(emulator_url, "someone@mailinator.com")
    assert "disposable" in str(err.value)


def test_abuse_controls_raise_not_allowed(emulator_url):
    with pytest.raises(cloudinary.exceptions.NotAllowed) as err:
        create(emulator_url, "someone@blocked.example.com")
    assert str(err.value) == "Error 403 - Invalid request"


def test_region_rule_raises_not_allowed(region_blocked_emulator, email):
    with pytest.raises(cloudinary.exceptions.NotAllowed) as err:
        create(region_blocked_emulator.url, email)
    assert str(err.value) == "Error 403 - Requests from your location are not permitted"


def test_registration_disabled_raises_not_allowed(closed_emulator, email):
    with pytest.raises(cloudinary.exceptions.NotAllowed) as err:
        create(closed_emulator.url, email)
    assert str(err.value) == "Error 403 - Agent registration is temporarily disabled"


def test_rate_limit_raises_rate_limited(strict_emulator, email):
    create(strict_emulator.url, email)
    with pytest.raises(cloudinary.exceptions.RateLimited) as err:
        create(strict_emulator.url, "second-" + email)
    assert str(err.value) == "Error 429 - Rate limit exceeded"
