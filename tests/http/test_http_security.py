"""API keys, the loopback rule, body-size limits, security headers and request ids."""

from __future__ import annotations

import hashlib
import io

import pytest
from flask.testing import FlaskClient

from declass.service.config import ConfigError, load_settings
from declass.service.http.app import create_app
from tests.conftest import API_KEY, http_config
from tests.http.test_http_errors import assert_problem

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class UnreadableStream(io.RawIOBase):
    """A request body that fails the test if the service reads a byte of it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        raise AssertionError("the body was read")


class EndlessStream(io.RawIOBase):
    """A chunked body with no end: the limit must stop the reading."""

    def __init__(self) -> None:
        self.sent = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        buffer[:size] = b"x" * size
        self.sent += size
        assert self.sent < 50_000_000, "the limit did not stop the reading"
        return size


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (None, 401),
        ("Bearer wrong-key", 401),
        (f"Basic {API_KEY}", 401),
        ("Bearer", 401),
        (f"Bearer {API_KEY}", 200),
        (f"bearer {API_KEY}", 200),
    ],
    ids=["missing", "wrong", "wrong-scheme", "empty", "correct", "scheme-case"],
)
def test_api_keys(keyed_client: FlaskClient, header: str | None, status: int) -> None:
    headers = {"Authorization": header} if header else {}
    response = keyed_client.get("/v1/policies", headers=headers)
    assert response.status_code == status
    if status == 401:
        assert_problem(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_hashed_keys() -> None:
    digest = hashlib.sha256(b"hashed-secret").hexdigest()
    client = create_app(http_config(api_keys=f"sha256:{digest}, other-plain")).test_client()
    ok = client.get("/v1/policies", headers={"Authorization": "Bearer hashed-secret"})
    plain = client.get("/v1/policies", headers={"Authorization": "Bearer other-plain"})
    digest_itself = client.get("/v1/policies", headers={"Authorization": f"Bearer {digest}"})
    assert (ok.status_code, plain.status_code, digest_itself.status_code) == (200, 200, 401)


def test_keys_from_the_environment() -> None:
    settings = load_settings({"DECLASS_API_KEYS": "one,  two ,,"})
    assert len(settings.api_keys) == 2
    assert "one" not in repr(settings)
    with pytest.raises(ConfigError, match="DECLASS_API_KEYS"):
        load_settings({"DECLASS_API_KEYS": "sha256:nothex"})


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/openapi.json"])
def test_operational_endpoints_stay_open(keyed_client: FlaskClient, path: str) -> None:
    assert keyed_client.get(path).status_code == 200


def test_unknown_paths_need_a_key_too(keyed_client: FlaskClient) -> None:
    assert keyed_client.get("/v1/nowhere").status_code == 401


def test_without_keys_only_loopback_is_served() -> None:
    client = create_app(http_config()).test_client()
    remote = client.get("/v1/policies", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert_problem(remote, 403, "loopback-only")
    local = client.get("/v1/policies", environ_base={"REMOTE_ADDR": "::1"})
    assert local.status_code == 200


def test_security_headers_on_every_response(client: FlaskClient, paris: bytes) -> None:
    responses = [
        client.get("/healthz"),
        client.get("/nowhere"),
        client.post("/v1/redact", data=paris, content_type="text/plain"),
        client.post("/v1/redact?format=pdf", data=paris, content_type="text/plain"),
        client.post("/v1/redact", data=b"", content_type="text/plain"),
        client.delete("/v1/analyze"),
    ]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"


def test_request_id_is_generated(client: FlaskClient) -> None:
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32
    assert first != second


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abc-123", True),
        ("7f0c1e9a-5b1d-4c1e-9d7a-0a5c2b1e4f00", True),
        ("a" * 129, False),
        ("bad id with spaces", False),
        ("<script>", False),
    ],
    ids=["simple", "uuid", "too-long", "spaces", "markup"],
)
def test_incoming_request_id(client: FlaskClient, incoming: str, kept: bool) -> None:
    returned = client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]
    assert (returned == incoming) is kept


def test_size_limit_refuses_by_content_length_without_reading() -> None:
    client = create_app(http_config(max_body_bytes=4096)).test_client()
    response = client.post(
        "/v1/redact",
        content_type="text/plain",
        environ_overrides={
            "wsgi.input": UnreadableStream(),
            "CONTENT_LENGTH": str(10 * 1024 * 1024),
        },
    )
    assert_problem(response, 413, "payload-too-large")


def test_size_limit_stops_chunked_bodies() -> None:
    client = create_app(http_config(max_body_bytes=4096)).test_client()
    stream = EndlessStream()
    response = client.post(
        "/v1/redact",
        content_type="text/plain",
        environ_overrides={"wsgi.input": stream, "wsgi.input_terminated": True},
        headers={"Transfer-Encoding": "chunked"},
    )
    assert_problem(response, 413, "payload-too-large")
    assert stream.sent < 1024 * 1024


@pytest.mark.parametrize("size", [4096, 4097], ids=["at-limit", "over"])
def test_size_limit_is_exact_for_chunked_bodies(size: int) -> None:
    client = create_app(http_config(max_body_bytes=4096)).test_client()
    response = client.post(
        "/v1/redact",
        content_type="text/plain",
        environ_overrides={"wsgi.input": io.BytesIO(b"x" * size), "wsgi.input_terminated": True},
        headers={"Transfer-Encoding": "chunked"},
    )
    assert response.status_code == (200 if size == 4096 else 413)


def test_size_limit_applies_to_multipart() -> None:
    client = create_app(http_config(max_body_bytes=4096)).test_client()
    response = client.post(
        "/v1/redact",
        data={"file": (io.BytesIO(b"x" * 10_000), "big.txt")},
        content_type="multipart/form-data",
    )
    assert_problem(response, 413, "payload-too-large")


def test_default_size_limit_is_ten_megabytes() -> None:
    assert load_settings({}).max_body_bytes == 10 * 1024 * 1024
    assert create_app(http_config()).config["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024 + 1
