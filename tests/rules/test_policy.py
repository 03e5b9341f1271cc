"""Policies as data: shipped files load, bad files fail naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from declass.rules.errors import PolicyError, PolicyNotFound
from declass.rules.policy import load_policy, parse_policy, shipped_policies

GOOD = b"""
id = "custom"
version = "1"
title = "Custom"
audience = "public"
"""


def test_shipped_policies_are_public_and_a_partner_policy() -> None:
    ids = {loaded.policy.id for loaded in shipped_policies()}
    assert {"public", "partner-gbr-secret"} <= ids
    for loaded in shipped_policies():
        assert len(loaded.ref.sha256) == 64
        assert loaded.ref.version


def test_public_policy_means_what_design_says() -> None:
    public = load_policy("public").policy
    assert public.audience == "public"
    assert public.release_level == "U"
    assert public.exemption == "(b)(1)"
    assert public.review_reasons == []
    assert public.unmarked_in_classified == "withhold"


def test_partner_policy_names_its_partner() -> None:
    partner = load_policy("partner-gbr-secret").policy
    assert (partner.partner, partner.release_level) == ("GBR", "S")
    assert partner.controls["NOFORN"] == "withhold"
    assert partner.controls["ORCON"] == "review"


def test_a_policy_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "custom.toml"
    path.write_bytes(GOOD)
    loaded = load_policy(str(path))
    assert loaded.policy.id == "custom"
    assert loaded.policy.rule("x") == "custom/x"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        pytest.param(GOOD + b'audiance = "public"\n', "audiance", id="typo-in-a-field-name"),
        pytest.param(GOOD.replace(b'"public"', b'"everyone"'), "audience", id="bad-audience"),
        pytest.param(
            GOOD + b'unmarked_in_classified = "show"\n', "unmarked_in_classified", id="bad-action"
        ),
        pytest.param(
            GOOD + b'release_headers = ["paragraph"]\n', "release_headers", id="body-kind-as-header"
        ),
        pytest.param(
            GOOD + b"automatic_declassification_years = 10\n",
            "automatic_declassification_years",
            id="too-short-an-age",
        ),
        pytest.param(
            GOOD.replace(b'"public"', b'"partner"'),
            "'partner': a partner policy needs",
            id="no-partner",
        ),
        pytest.param(
            b'id = "Bad Id"\nversion = "1"\ntitle = "t"\naudience = "public"\n', "id", id="bad-id"
        ),
    ],
)
def test_invalid_policy_names_the_field(text: bytes, field: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "bad.toml")
    assert "bad.toml" in caught.value.message
    assert field in caught.value.message


def test_not_toml_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="not valid TOML"):
        parse_policy(b"id = = 3", "broken.toml")


def test_unknown_policy_lists_the_known_ones() -> None:
    with pytest.raises(PolicyNotFound) as caught:
        load_policy("nonesuch")
    assert "public" in caught.value.message
