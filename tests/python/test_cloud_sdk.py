"""Cloudinary's Python SDK (`cloudinary.provisioning.create_cloud`) against the emulator's
Claimable Cloud endpoint."""

import json
import urllib.parse
import urllib.request

import cloudinary
import cloudinary.api
import cloudinary.exceptions
import cloudinary.provisioning
import pytest

from conftest import redact

FLAT_KEYS = {
    "account_id", "email", "cloud_name", "api_key", "api_secret", "api_environment_variable",
    "claimed", "expires_at", "delivery_ips", "claim_url", "guidance",
}


def create_cloud(url, **kwargs):
    cloudinary.config(upload_prefix=url)
    return cloudinary.provisioning.create_cloud(**kwargs)


def auth(url, cloud):
    return dict(
        cloud_name=cloud["cloud_name"],
        api_key=cloud["api_key"],
        api_secret=cloud["api_secret"],
        upload_prefix=url,
    )


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as res:
        return json.load(res)


def post_form(url, fields):
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=data, timeout=10) as res:
        return res.status, res.read().decode()


def test_an_empty_request_gives_a_flat_cloud_whose_credentials_work_at_once(emulator_url):
    cloud = create_cloud(emulator_url)
    summary = redact(json.dumps(cloud), cloud.get("api_secret"))
    assert set(cloud.keys()) == FLAT_KEYS, summary
    assert cloud["claimed"] is False, summary
    assert cloud["delivery_ips"] == ["127.0.0.1"], summary
    assert cloud["email"].endswith("@cloud.cloudinary.invalid"), summary
    assert cloud["api_environment_variable"] == (
        f"CLOUDINARY_URL=cloudinary://{cloud['api_key']}:{cloud['api_secret']}@{cloud['cloud_name']}"
    ), summary
    assert cloud["claim_url"].startswith(f"{emulator_url}/claim?token="), summary
    # No verification: the SDK's own Admin API ping works at once.
    assert cloudinary.api.ping(**auth(emulator_url, cloud))["status"] == "ok"


def test_every_field_and_delivery_ips_resolved(emulator_url, email):
    cloud = create_cloud(
        emulator_url,
        delivery_ips=["203.0.113.7", "requester_ip", "10.0.0.4"],
        email=email,
        agent_framework="langchain",
        agent_llm_model="claude-opus-4-8",
        agent_goal="Host product images for a test shop",
        sdk_framework="python",
    )
    summary = redact(json.dumps(cloud), cloud.get("api_secret"))
    # requester_ip is the caller, the caller is not repeated, the private address is dropped.
    assert cloud["delivery_ips"] == ["203.0.113.7", "127.0.0.1"], summary
    assert cloud["email"] == email, summary
    assert "pip install cloudinary" in cloud["guidance"], summary


def test_too_many_delivery_ips_raise_bad_request(emulator_url):
    with pytest.raises(cloudinary.exceptions.BadRequest) as err:
        create_cloud(emulator_url, delivery_ips=["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"])
    assert str(err.value) == "Error 400 - At most 3 delivery_ips are allowed"


def test_an_invalid_delivery_ip_raises_bad_request(emulator_url):
    with pytest.raises(cloudinary.exceptions.BadRequest) as err:
        create_cloud(emulator_url, delivery_ips=["not-an-ip"])
    assert str(err.value) == "Error 400 - Invalid delivery IP: not-an-ip"


def test_a_cidr_range_raises_bad_request(emulator_url):
    with pytest.raises(cloudinary.exceptions.BadRequest) as err:
        create_cloud(emulator_url, delivery_ips=["203.0.113.0/24"])
    assert str(err.value) == "Error 400 - Invalid delivery IP: 203.0.113.0/24"


def test_a_caller_that_is_not_public_raises_bad_request(private_caller_emulator):
    with pytest.raises(cloudinary.exceptions.BadRequest) as err:
        create_cloud(private_caller_emulator.url)
    assert str(err.value) == "Error 400 - delivery_ips must contain at least one public IP address"
    cloud = create_cloud(private_caller_emulator.url, delivery_ips=["203.0.113.7"])
    assert cloud["delivery_ips"] == ["203.0.113.7"]


def test_rate_limit_raises_rate_limited(strict_cloud_emulator):
    create_cloud(strict_cloud_emulator.url)
    with pytest.raises(cloudinary.exceptions.RateLimited) as err:
        create_cloud(strict_cloud_emulator.url)
    assert str(err.value) == "Error 429 - Rate limit exceeded"


def test_region_rule_raises_not_allowed(region_blocked_emulator):
    with pytest.raises(cloudinary.exceptions.NotAllowed) as err:
        create_cloud(region_blocked_emulator.url)
    assert str(err.value) == "Error 403 - Location not permitted"


def test_registration_disabled_raises_not_allowed(closed_emulator):
    with pytest.raises(cloudinary.exceptions.NotAllowed) as err:
        create_cloud(closed_emulator.url)
    assert str(err.value) == "Error 403 - Agent account registration is currently unavailable"


def test_a_claimed_cloud_outlives_its_expiry(clock_emulator, email):
    url = clock_emulator.url
    cloud = create_cloud(url)
    creds = auth(url, cloud)
    status, page = post_form(cloud["claim_url"], {"email": email, "terms": "accepted"})
    assert status == 200 and "Check your e-mail" in page
    mail = get_json(f"{url}/_emulator/outbox?to={urllib.parse.quote(email)}")
    assert len(mail) == 1 and mail[0]["kind"] == "claim"
    status, page = post_form(mail[0]["verify_url"], {})
    assert status == 200 and "Your cloud is claimed" in page
    request = urllib.request.Request(f"{url}/_emulator/clock/advance?seconds=172800", method="POST")
    urllib.request.urlopen(request, timeout=10).close()
    assert cloudinary.api.ping(**creds)["status"] == "ok"


def test_an_unclaimed_cloud_is_disabled_at_expiry(clock_emulator):
    url = clock_emulator.url
    cloud = create_cloud(url)
    request = urllib.request.Request(f"{url}/_emulator/clock/advance?seconds=86401", method="POST")
    urllib.request.urlopen(request, timeout=10).close()
    with pytest.raises(cloudinary.exceptions.AuthorizationRequired) as err:
        cloudinary.api.ping(**auth(url, cloud))
    assert "disabled" in str(err.value)
