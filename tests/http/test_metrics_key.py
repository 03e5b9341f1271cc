"""/metrics counts documents and decisions: it takes the key like /v1, unless opened.

With keys set, a scrape needs one; without keys, only loopback is served, as
for /v1. ``DECLASS_METRICS_PUBLIC`` opens the metrics to any scraper that can
reach the port (a private network), and nothing else.
"""

from __future__ import annotations

import pytest

from declass.service.config import load_settings
from declass.service.http.app import create_app
from tests.conftest import API_KEY, http_config
from tests.http.test_http_errors import assert_problem

REMOTE = {"REMOTE_ADDR": "203.0.113.9"}
BEARER = {"Authorization": f"Bearer {API_KEY}"}


def test_with_keys_the_metrics_take_a_key() -> None:
    client = create_app(http_config(api_keys=[API_KEY])).test_client()
    assert_problem(client.get("/metrics"), 401, "unauthorized")
    assert_problem(
        client.get("/metrics", headers={"Authorization": "Bearer wrong"}), 401, "unauthorized"
    )
    scraped = client.get("/metrics", headers=BEARER)
    assert scraped.status_code == 200
    assert "declass_http_requests_total" in scraped.get_data(as_text=True)


def test_without_keys_the_metrics_are_served_to_loopback_only() -> None:
    client = create_app(http_config()).test_client()
    assert_problem(client.get("/metrics", environ_base=REMOTE), 403, "loopback-only")
    assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize("keys", [[API_KEY], []], ids=["keys", "no-keys"])
def test_a_setting_opens_the_metrics_to_scrapers(keys: list[str]) -> None:
    client = create_app(http_config(api_keys=keys, metrics_public=True)).test_client()
    assert client.get("/metrics", environ_base=REMOTE).status_code == 200
    # ... and nothing else: the API still takes the key (or loopback).
    assert client.get("/v1/policies", environ_base=REMOTE).status_code in (401, 403)


def test_the_setting_is_read_from_the_environment() -> None:
    assert load_settings({}).metrics_public is False
    assert load_settings({"DECLASS_METRICS_PUBLIC": "1"}).metrics_public is True
