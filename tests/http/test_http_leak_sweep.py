"""True removal at scale: real cables and generated documents through the HTTP app.

For a deterministic sample of the corpus (every 10th cable: ~100 of them; the
whole corpus in three formats takes over a minute, too long for every run:
``DECLASS_LEAK_SWEEP=all`` sweeps it all)
and for generated cables whose every line carries a unique token, no word
that occurs only in withheld text may appear in any response body (text,
JSON, a PDF's extracted text and its raw bytes), any response header, any
JSON log line or the /metrics exposition.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from reportlab.pdfbase import pdfdoc

from declass.rules.errors import DeclassError
from declass.rules.policy import load_policy
from declass.service.formats import OUTPUTS
from declass.service.http.app import create_app
from declass.service.http.logs import JsonFormatter
from declass.service.pipeline import analyze
from tests.conftest import captured_logs, corpus_files, http_config
from tests.http.test_http_leaks import _WORD, leaked, visible_text, withheld_words
from tests.release_documents import Cable, cables
from tests.test_release_properties import must_withhold

AS_OF = dt.date(2010, 1, 1)
FORMATS = tuple(OUTPUTS)  # every format of the registry
#: DECLASS_LEAK_SWEEP=all sweeps the whole corpus (about 100 s on one core).
SAMPLE = corpus_files() if os.environ.get("DECLASS_LEAK_SWEEP") == "all" else corpus_files()[::10]
ROOT = Path(__file__).resolve().parents[2]


def service_vocabulary() -> set[str]:
    """Every word the service could write of its own: the words of its code and policies
    (JSON keys, rule ids, problem details, the stamp) and of reportlab's PDF syntax.

    A word of a withheld portion that the service emits is a leak only if it is in
    neither the released text nor this vocabulary.
    """
    sources = [*ROOT.glob("rules/**/*.py"), *ROOT.glob("rules/policies/*.toml")]
    sources += [*ROOT.glob("service/**/*.py"), Path(pdfdoc.__file__)]
    text = " ".join(path.read_text(encoding="utf-8", errors="replace") for path in sources)
    words = _WORD.findall(text) + re.findall(r"[A-Za-z][A-Za-z'-]*", text.replace("'", " "))
    return {word.casefold() for word in words}


VOCABULARY = service_vocabulary()


def joined_words(data: bytes) -> set[str]:
    """Adjacent words run together, as the report's cable id does (TEL AVIV -> 07TELAVIV123)."""
    words = re.findall(r"[A-Za-z]+", data.decode("utf-8", "replace"))
    return {(a + b).casefold() for a, b in itertools.pairwise(words)}


@pytest.fixture(scope="module")
def sweep() -> Iterator[tuple[FlaskClient, io.StringIO]]:
    """One application for the whole sweep, and everything it logs."""
    with captured_logs() as stream:
        yield create_app(http_config()).test_client(), stream


def _redact(client: FlaskClient, data: bytes, fmt: str, as_of: dt.date) -> str:
    response = client.post(
        f"/v1/redact?as_of={as_of.isoformat()}&format={fmt}&log=true",
        data=data,
        content_type="text/plain",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return visible_text(response)


@pytest.mark.corpus
@pytest.mark.skipif(not SAMPLE, reason="real corpus not found (set DECLASS_CORPUS)")
@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.stem)
def test_real_cable_leaks_nothing(sweep: tuple[FlaskClient, io.StringIO], path: Path) -> None:
    client, logs = sweep
    data = path.read_bytes()
    try:
        secrets = withheld_words(data, AS_OF) - VOCABULARY - joined_words(data)
    except DeclassError:
        pytest.skip("not a document declass reads (refused with a clear error)")
    if not secrets:
        return  # nothing withheld as of 2010, nothing to leak
    for fmt in FORMATS:
        assert not leaked(_redact(client, data, fmt, AS_OF), secrets), (path.name, fmt)
    assert not leaked(logs.getvalue(), secrets), path.name
    assert not leaked(client.get("/metrics").get_data(as_text=True), secrets), path.name


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(cable=cables())
def test_generated_cable_leaks_no_withheld_token(cable: Cable) -> None:
    client = create_app(http_config()).test_client()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("declass")
    logger.addHandler(handler)
    try:
        data = cable.text.encode("utf-8")
        hidden = [
            token
            for portion in cable.portions
            if must_withhold(cable, portion, AS_OF, partner=False)
            for token in portion.tokens
        ]
        outputs = [_redact(client, data, fmt, AS_OF) for fmt in FORMATS]
        outputs.append(client.get("/metrics").get_data(as_text=True))
        analyze(data, load_policy("public"), AS_OF)  # the library path logs nothing either
        outputs.append(stream.getvalue())
    finally:
        logger.removeHandler(handler)
    for token in hidden:
        assert not any(token in out for out in outputs), token
