"""Who may do what: API keys with a name and a role, overrides in the key's name, and
as-of dates after today refused unless the request asks for a preview (a draft)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from declass.service.as_of import today
from declass.service.cli.main import main
from declass.service.config import ConfigError, load_settings
from declass.service.http.app import create_app
from declass.service.http.schemas import RedactReport
from declass.service.keys import LOCAL, identify, parse_keys
from declass.service.render.pdf import pdf_text
from tests.conftest import API_KEY, http_config
from tests.http.test_http_counts import logged_document
from tests.http.test_http_errors import assert_problem

REVIEWER_KEY = "reviewer-secret-41c9"
WORKFLOW_KEY = "workflow-secret-0b7e"
#: Paris 2006 as of 2010: every paragraph classified; ¶1 is segment s009.
CLASSIFIED_AS_OF = "2010-01-01"
PARAGRAPH = "s009"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


KEYS = (
    f"jdoe:reviewer:sha256:{_digest(REVIEWER_KEY)},"
    f"intake-bot:workflow:sha256:{_digest(WORKFLOW_KEY)},"
    f"{API_KEY}"
)


@pytest.fixture
def roles_client() -> FlaskClient:
    return create_app(http_config(api_keys=KEYS)).test_client()


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _override_body(paris: bytes, **extra: object) -> dict[str, object]:
    return {
        "text": paris.decode("utf-8"),
        "as_of": CLASSIFIED_AS_OF,
        "overrides": [
            {
                "segment": PARAGRAPH,
                "action": "release",
                "reason": "FOIA appeal granted",
                "reviewer": "Somebody Else, typed in the body",
            }
        ],
        "format": "json",
        **extra,
    }


# --- key entries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "name", "role"),
    [
        (f"jdoe:reviewer:sha256:{'a' * 64}", "jdoe", "reviewer"),
        (f"intake-bot:workflow:SHA256:{'B' * 64}", "intake-bot", "workflow"),
        (f"j.doe_2:Reviewer:sha256:{'c' * 64}", "j.doe_2", "reviewer"),
        (f"sha256:{'d' * 64}", "key-1", "workflow"),
        ("plain-old-key", "key-1", "workflow"),
    ],
    ids=["reviewer", "workflow", "name-charset-and-case", "old-digest", "old-plain"],
)
def test_key_entries(entry: str, name: str, role: str) -> None:
    (key,) = parse_keys([entry])
    assert (key.name, key.role) == (name, role)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (f"j doe:reviewer:sha256:{'a' * 64}", "name"),
        (f"jdoe];DROP:reviewer:sha256:{'a' * 64}", "name"),
        (f"{'x' * 33}:reviewer:sha256:{'a' * 64}", "name"),
        (f"jdoe:admin:sha256:{'a' * 64}", "role"),
        ("jdoe:reviewer:plaintext-key", "name:role:sha256"),
        ("jdoe:reviewer:sha256:nothex", "64 hex"),
    ],
    ids=["space", "punctuation", "too-long", "unknown-role", "no-digest", "bad-digest"],
)
def test_bad_key_entries_stop_the_service(entry: str, message: str) -> None:
    with pytest.raises(ConfigError, match="DECLASS_API_KEYS") as caught:
        load_settings({"DECLASS_API_KEYS": entry})
    assert message in str(caught.value)
    assert "a" * 64 not in str(caught.value)


def test_a_name_or_a_key_given_twice_is_refused() -> None:
    twice = f"jdoe:reviewer:sha256:{'a' * 64},jdoe:workflow:sha256:{'b' * 64}"
    with pytest.raises(ConfigError, match="name is given twice"):
        load_settings({"DECLASS_API_KEYS": twice})
    with pytest.raises(ConfigError, match="same key"):
        load_settings({"DECLASS_API_KEYS": f"one,sha256:{_digest('one')}"})


def test_identify_finds_the_key_and_its_role() -> None:
    keys = parse_keys(KEYS.split(","))
    assert identify(REVIEWER_KEY, keys) == keys[0]
    assert identify(WORKFLOW_KEY, keys) == keys[1]
    assert identify(API_KEY, keys) == keys[2]
    assert identify("nobody", keys) is None
    assert identify(_digest(REVIEWER_KEY), keys) is None


# --- authority over HTTP -------------------------------------------------------------


@pytest.mark.parametrize("key", [WORKFLOW_KEY, API_KEY], ids=["workflow", "old-form"])
def test_only_a_reviewer_key_may_override(
    roles_client: FlaskClient, paris: bytes, key: str
) -> None:
    response = roles_client.post("/v1/redact", json=_override_body(paris), headers=_auth(key))
    problem = assert_problem(response, 403, "reviewer-role-required")
    assert problem["field"] == "overrides"


def test_a_workflow_key_releases_without_overrides(roles_client: FlaskClient, paris: bytes) -> None:
    body = {"text": paris.decode("utf-8"), "as_of": CLASSIFIED_AS_OF, "format": "json"}
    response = roles_client.post("/v1/redact", json=body, headers=_auth(WORKFLOW_KEY))
    assert response.status_code == 200, response.json
    assert RedactReport.model_validate(response.json).overrides == []


def test_the_reviewer_is_the_keys_name(roles_client: FlaskClient, paris: bytes) -> None:
    response = roles_client.post(
        "/v1/redact", json=_override_body(paris), headers=_auth(REVIEWER_KEY)
    )
    assert response.status_code == 200, response.json
    report = RedactReport.model_validate(response.json)
    (override,) = report.overrides
    assert override.reviewer == "jdoe"
    assert override.note == "Somebody Else, typed in the body"
    assert "[released on review: jdoe]" in report.text
    assert "declassified in part on review by jdoe on 2010-01-01" in report.text
    assert "Somebody Else" not in report.text


def test_keyless_loopback_is_the_local_reviewer(client: FlaskClient, paris: bytes) -> None:
    response = client.post("/v1/redact", json=_override_body(paris))
    assert response.status_code == 200, response.json
    report = RedactReport.model_validate(response.json)
    assert report.overrides[0].reviewer == LOCAL.name == "local"
    assert "[released on review: local]" in report.text


def test_keyless_service_refuses_other_hosts(paris: bytes) -> None:
    client = create_app(http_config()).test_client()
    response = client.post(
        "/v1/redact",
        json=_override_body(paris),
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert_problem(response, 403, "loopback-only")


# --- as-of after today and previews ---------------------------------------------------


def _tomorrow() -> str:
    return (today() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("endpoint", ["/v1/redact", "/v1/analyze"])
def test_as_of_after_today_is_refused(client: FlaskClient, paris: bytes, endpoint: str) -> None:
    response = client.post(f"{endpoint}?as_of={_tomorrow()}", data=paris, content_type="text/plain")
    problem = assert_problem(response, 422, "as-of-in-future")
    assert problem["field"] == "as_of"


def test_as_of_today_is_allowed(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        f"/v1/redact?as_of={today().isoformat()}", data=paris, content_type="text/plain"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("shape", ["query", "json"])
def test_a_preview_is_a_draft(client: FlaskClient, paris: bytes, shape: str) -> None:
    if shape == "query":
        response = client.post(
            "/v1/redact?as_of=2040-01-01&preview=true&format=json",
            data=paris,
            content_type="text/plain",
        )
    else:
        body = {"text": paris.decode(), "as_of": "2040-01-01", "preview": True, "format": "json"}
        response = client.post("/v1/redact", json=body)
    assert response.status_code == 200, response.json
    assert response.headers["X-Declass-Final"] == "false"
    report = RedactReport.model_validate(response.json)
    assert (report.final, report.preview) == (False, True)
    assert report.text.startswith("DRAFT — NOT FOR RELEASE — 0 portions pending review")


def test_final_header_and_field(client: FlaskClient, paris: bytes) -> None:
    response = client.post(
        "/v1/redact?as_of=2020-01-01&format=json", data=paris, content_type="text/plain"
    )
    assert response.headers["X-Declass-Final"] == "true"
    report = RedactReport.model_validate(response.json)
    assert report.final is True
    assert not report.text.startswith("DRAFT")


def test_pending_review_is_a_draft_over_http(client: FlaskClient) -> None:
    lapaz = (
        Path(__file__).resolve().parents[1] / "data" / "golden" / "lapaz_1998_x1.txt"
    ).read_bytes()
    response = client.post("/v1/redact?as_of=2024-01-01", data=lapaz, content_type="text/plain")
    assert response.headers["X-Declass-Final"] == "false"
    assert response.get_data(as_text=True).startswith(
        "DRAFT — NOT FOR RELEASE — 2 portions pending review\n"
    )


# --- the command line --------------------------------------------------------------


@pytest.fixture
def paris_file(tmp_path: Path, paris: bytes) -> Path:
    path = tmp_path / "paris.txt"
    path.write_bytes(paris)
    return path


@pytest.mark.parametrize("command", ["redact", "analyze"])
def test_cli_refuses_as_of_after_today(
    paris_file: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    assert main([command, str(paris_file), "--as-of", _tomorrow()]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "after today" in err and "--preview" in err


def test_cli_preview_is_a_draft(paris_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redact", str(paris_file), "--as-of", "2040-01-01", "--preview"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DRAFT — NOT FOR RELEASE — 0 portions pending review — preview\n")
    assert main(["analyze", str(paris_file), "--as-of", "2040-01-01", "--preview"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["final"], report["preview"]) == (False, True)


def test_the_log_line_names_the_caller_never_the_note(
    roles_client: FlaskClient, paris: bytes, http_logs: io.StringIO
) -> None:
    response = roles_client.post(
        "/v1/redact", json=_override_body(paris), headers=_auth(REVIEWER_KEY)
    )
    assert response.status_code == 200
    document = logged_document(http_logs)
    assert (document["caller"], document["overrides"], document["final"]) == ("jdoe", 1, True)
    assert "Somebody Else" not in http_logs.getvalue()
    assert "FOIA appeal" not in http_logs.getvalue()


def test_a_workflow_key_may_redact_spans_and_is_named_in_the_review_log(
    roles_client: FlaskClient, paris: bytes
) -> None:
    body = {
        "text": paris.decode("utf-8"),
        "as_of": "2020-01-01",
        "redactions": [{"phrase": "Astergrad", "exemption": "(b)(6)"}],
        "format": "pdf",
        "log": True,
    }
    response = roles_client.post("/v1/redact", json=body, headers=_auth(WORKFLOW_KEY))
    assert response.status_code == 200, response.get_data(as_text=True)
    read_back = " ".join(pdf_text(response.data).split())
    assert "Review log" in read_back
    assert "span withheld intake-bot - (b)(6)" in read_back


def test_batch_refuses_as_of_after_today(tmp_path: Path, paris: bytes) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "paris.txt").write_bytes(paris)
    assert main(["batch", str(source), "-o", str(tmp_path / "out"), "--as-of", _tomorrow()]) == 2
    assert not (tmp_path / "out" / "paris.txt.released.txt").exists()
