"""A policy the caller brings can never pass for a shipped one.

An inline policy (a JSON object in the request) is refused unless the
operator enables them, may not take the id of a loaded policy, and every
release made with one names it as inline with the digest of its canonical
JSON: in the stamp (text and PDF), the ``X-Declass-Policy`` header, the
report's policy ref and the log. A policy file the operator names on the
command line that reuses a shipped id is named by its digest the same way.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from declass.rules.errors import PolicyError
from declass.rules.policy import canonical_digest, load_policy, policy_from_mapping
from declass.service.cli.main import main
from declass.service.config import load_settings
from declass.service.http.state import load_state
from declass.service.render.pdf import pdf_text
from tests.conftest import captured_logs

AS_OF = "2010-01-01"
PUBLIC = load_policy("public")


def releasing_everything(**changes: Any) -> dict[str, Any]:
    """The public policy, rewritten to release what the shipped one withholds."""
    table = PUBLIC.policy.model_dump(mode="json")
    table.update(
        {
            "declassify_by_date": False,
            "unmarked_in_classified": "release",
            "malformed_marking": "release",
            "controls": {},
            **changes,
        }
    )
    return table


def test_inline_policies_are_off_by_default(client: FlaskClient, paris: bytes) -> None:
    policy = releasing_everything(id="mine", version="1")
    response = client.post("/v1/redact", json={"text": paris.decode(), "policy": policy})
    assert response.status_code == 403
    assert response.json is not None
    assert response.json["code"] == "inline-policy-disabled"
    assert response.json["field"] == "policy"
    assert "DECLASS_ALLOW_INLINE_POLICIES" in response.json["detail"]


def test_setting_reads_the_environment() -> None:
    assert load_settings({}).allow_inline_policies is False
    assert load_settings({"DECLASS_ALLOW_INLINE_POLICIES": "1"}).allow_inline_policies is True


@pytest.mark.parametrize("path", ["/v1/redact", "/v1/analyze"])
@pytest.mark.parametrize("shipped", ["public", "partner-gbr-secret"])
def test_inline_policy_may_not_take_a_shipped_id(
    inline_client: FlaskClient, paris: bytes, path: str, shipped: str
) -> None:
    policy = releasing_everything(id=shipped, version=PUBLIC.policy.version)
    response = inline_client.post(path, json={"text": paris.decode(), "policy": policy})
    assert response.status_code == 422
    assert response.json is not None
    assert response.json["code"] == "policy-id-taken"
    assert response.json["field"] == "policy.id"


def test_inline_release_names_the_inline_policy_everywhere(
    inline_client: FlaskClient, paris: bytes
) -> None:
    policy = releasing_everything(id="mine", version="1")
    digest = canonical_digest(policy_from_mapping(policy, "test").policy)
    name = f"inline policy {digest[:12]}"
    body = {"text": paris.decode(), "policy": policy, "as_of": AS_OF}
    with captured_logs() as logs:
        as_json = inline_client.post("/v1/redact", json={**body, "format": "json"})
    as_text = inline_client.post("/v1/redact", json={**body, "format": "text"})
    as_pdf = inline_client.post("/v1/redact", json={**body, "format": "pdf"})
    for response in (as_json, as_text, as_pdf):
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert response.headers["X-Declass-Policy"].startswith(name)
    report = as_json.json
    assert report is not None
    assert report["policy"]["id"] == name
    assert report["policy"]["sha256"] == digest
    assert isinstance(report["policy"]["version"], str)
    assert name in report["text"].splitlines()[1]
    assert name in as_text.get_data(as_text=True).splitlines()[1]
    assert name in pdf_text(as_pdf.data)
    lines = [json.loads(line) for line in logs.getvalue().splitlines()]
    logged = [line["document"]["policy"] for line in lines if "document" in line]
    assert logged and all(policy.startswith(name) for policy in logged)
    for output in (report["text"], as_text.get_data(as_text=True), pdf_text(as_pdf.data)):
        assert "policy public" not in output


def test_inline_digest_is_of_the_canonical_json() -> None:
    policy = releasing_everything(id="mine", version="1")
    loaded = policy_from_mapping(policy, "test")
    shuffled = dict(reversed(list(policy.items())))
    assert canonical_digest(policy_from_mapping(shuffled, "test").policy) == canonical_digest(
        loaded.policy
    )
    canonical = json.dumps(
        loaded.policy.model_dump(mode="json"), sort_keys=True, separators=(",", ":")
    )
    assert canonical_digest(loaded.policy) == hashlib.sha256(canonical.encode()).hexdigest()


def test_inline_policy_shipped_ids_are_those_loaded(inline_client: FlaskClient) -> None:
    listed = inline_client.get("/v1/policies").json
    assert listed is not None
    assert {p["id"] for p in listed["policies"]} >= {"public", "partner-gbr-secret"}


@pytest.mark.parametrize("version", ["1 velmoria pipeline", "v\n2", "", "x" * 41])
def test_policy_version_is_a_version_not_prose(version: str) -> None:
    with pytest.raises(PolicyError):
        policy_from_mapping(releasing_everything(id="mine", version=version), "test")


# --- policy files an operator names ---------------------------------------------


def impostor_file(tmp_path: Path) -> Path:
    """A policy file that calls itself ``public`` and releases what ``public`` withholds."""
    table = releasing_everything()
    lines = [
        f"{key} = {json.dumps(value)}"
        for key, value in table.items()
        if value is not None and not isinstance(value, dict)
    ]
    path = tmp_path / "public.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_file_policy_reusing_a_shipped_id_is_named_by_its_digest(tmp_path: Path) -> None:
    path = impostor_file(tmp_path)
    loaded = load_policy(str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert loaded.ref.id == f"file policy {digest[:12]}"
    assert loaded.ref.sha256 == digest
    assert loaded.policy.id == "public"  # the rules it runs are its own, named by the digest


def test_file_policy_with_its_own_id_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('id = "mine"\nversion = "1"\ntitle = "Mine"\naudience = "public"\n')
    assert load_policy(str(path)).ref.id == "mine"


def test_shipped_policy_file_copied_verbatim_keeps_its_name(tmp_path: Path) -> None:
    import importlib.resources

    path = tmp_path / "copy.toml"
    path.write_bytes(
        importlib.resources.files("declass.rules.policies").joinpath("public.toml").read_bytes()
    )
    assert load_policy(str(path)).ref == PUBLIC.ref


def test_cli_stamp_names_an_impostor_file_by_its_digest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cable = tmp_path / "cable.txt"
    cable.write_text(
        "C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 08/25/2016\n\n"
        "¶1. (C) The minister outlined a plan.\n",
        encoding="utf-8",
    )
    path = impostor_file(tmp_path)
    assert main(["redact", str(cable), "--policy", str(path), "--as-of", AS_OF]) == 0
    stamp = capsys.readouterr().out.splitlines()[1]
    assert "file policy " in stamp
    assert "policy public" not in stamp


def test_server_refuses_a_default_policy_file_taking_a_shipped_id(tmp_path: Path) -> None:
    from declass.service.config import ConfigError

    path = impostor_file(tmp_path)
    with pytest.raises(ConfigError, match="shipped"):
        load_state(load_settings({}, default_policy=str(path)))
