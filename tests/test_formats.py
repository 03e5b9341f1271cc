"""One registry of formats: every edge's list of formats is the registry's."""

from __future__ import annotations

import datetime as dt
import typing

import click
import pytest
from flask.testing import FlaskClient

from declass.rules.policy import load_policy
from declass.service import reader
from declass.service.batch import runner as batch
from declass.service.batch import work as batch_work
from declass.service.cli import batch as cli_batch
from declass.service.cli import main as cli
from declass.service.formats import (
    BATCH_SUFFIXES,
    BINARY_INPUTS,
    INPUTS,
    OUTPUTS,
    RAW_MEDIA_TYPES,
    TEXT,
    Format,
    InputFormat,
)
from declass.service.http import errors, intake, schemas
from declass.service.pipeline import run

CABLE = b"UNCLASSIFIED\n\n1. (U) The talks resume in March.\n"


def test_the_registry_is_the_format_literal() -> None:
    assert tuple(OUTPUTS) == typing.get_args(Format)
    assert typing.get_args(schemas.RedactOptions.model_fields["format"].annotation) == (
        Format,
        type(None),
    )


def _choices(command: click.Command, name: str) -> list[str]:
    option = next(p for p in command.params if p.name == name)
    assert isinstance(option.type, click.Choice)
    return list(option.type.choices)


def test_the_command_line_offers_the_registry() -> None:
    assert _choices(cli.redact, "fmt") == list(OUTPUTS)
    assert _choices(cli_batch.batch, "formats") == list(OUTPUTS)


def test_http_negotiates_the_registry() -> None:
    assert {f.accept: name for name, f in OUTPUTS.items()} == intake.MEDIA_FORMATS
    detail = errors.HTTP_PROBLEMS[406][1]
    assert all(f.accept in detail for f in OUTPUTS.values())


@pytest.mark.parametrize("media_type", sorted(RAW_MEDIA_TYPES))
def test_http_takes_each_registered_input_as_a_raw_body(
    client: FlaskClient, media_type: str
) -> None:
    """Read (here: refused, since the bytes are text) rather than a 415."""
    response = client.post("/v1/analyze", data=CABLE, content_type=media_type)
    assert (response.status_code, response.get_json()["code"]) == (422, "format-mismatch")


@pytest.mark.parametrize("fmt", list(OUTPUTS))
def test_each_format_is_negotiated_and_labelled(client: FlaskClient, fmt: Format) -> None:
    accept = OUTPUTS[fmt].accept
    response = client.post(
        "/v1/redact?as_of=2010-01-01",
        data=CABLE,
        content_type="text/plain",
        headers={"Accept": accept},
    )
    assert response.status_code == 200
    assert response.content_type == OUTPUTS[fmt].media_type


def test_an_unknown_accept_names_every_format(client: FlaskClient) -> None:
    response = client.post(
        "/v1/redact", data=CABLE, content_type="text/plain", headers={"Accept": "image/gif"}
    )
    assert response.status_code == 406
    detail = response.get_json()["detail"]
    assert all(f.accept in detail for f in OUTPUTS.values())


@pytest.mark.parametrize("fmt", list(OUTPUTS))
def test_the_pipeline_renders_each_format_with_its_media_type(fmt: Format) -> None:
    outcome = run(CABLE, load_policy("public"), dt.date(2010, 1, 1), fmt=fmt)
    assert outcome.media_type == OUTPUTS[fmt].media_type
    assert outcome.output


def test_batch_uses_the_registry() -> None:
    assert tuple(OUTPUTS) == batch_work.FORMATS
    assert {name: f.extension for name, f in OUTPUTS.items()} == batch_work.EXTENSIONS
    assert batch.INPUT_SUFFIXES == BATCH_SUFFIXES
    assert set(BATCH_SUFFIXES) == {s for f in INPUTS for s in f.suffixes}


def test_the_reader_claims_the_registry() -> None:
    claims = {c for f in BINARY_INPUTS for c in (*f.media_types, *f.suffixes)}
    assert set(reader.CLAIMS) == claims
    assert {"", *TEXT.suffixes, *TEXT.named_only} == reader.TEXT_SUFFIXES


@pytest.mark.parametrize("fmt", BINARY_INPUTS, ids=lambda f: f.description)
def test_text_sent_as_a_registered_format_is_refused_naming_it(fmt: InputFormat) -> None:
    for claim in (*fmt.media_types, *fmt.suffixes):
        media_type = claim if "/" in claim else None
        filename = None if media_type else f"memo{claim}"
        with pytest.raises(reader.UnreadableDocument) as caught:
            reader.read_document(CABLE, media_type, filename, max_pages=10)
        assert caught.value.code == "format-mismatch"
        assert fmt.description in caught.value.message


def test_the_raw_media_types_are_the_binary_inputs() -> None:
    assert {t for f in BINARY_INPUTS for t in f.media_types} == RAW_MEDIA_TYPES
