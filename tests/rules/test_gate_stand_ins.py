"""The leak gate counts what stands in for withheld text as generated text.

A placeholder (``[1 line withheld: (b)(1) 1.5(b), 1.5(d)]``) and a span mark
(``[(b)(6)]``) are written from the model, as the banner and the stamp are.
A short withheld body (2 to 7 words are checked whole) can read like the end
of its own placeholder followed by the next portion's label: ``d (d).`` under
``(c)`` ends up beside ``... 1.5(d)]`` and ``(d) (U) ...``. That is no leak,
and the release must go out in every format; withheld text in the output is
still refused.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from declass.rules.errors import LeakError
from declass.rules.leakgate import check_release
from declass.rules.parse import normalise
from declass.rules.policy import load_policy
from declass.service.pipeline import release, run
from declass.service.render.pieces import placeholder, release_stamp, span_mark
from declass.service.render.text import render_text

PUBLIC = load_policy("public")
AS_OF = dt.date(2010, 1, 1)  # before the cable's DECL date: (C) portions are withheld

OPTIONS = b"""C O N F I D E N T I A L PARIS 006120

E.O. 12958: DECL: 08/25/2016

TAGS: PREL PGOV OSCE FR

SUBJECT: GOF CAUTIOUS ON OSCE MINISTERIAL OFFER

Classified By: CDA HAROLD V. ASHCOMBE FOR REASONS 1.5 (b) and (d)

\xc2\xb61. (C) The Ministry listed the options it would put to partners:

(a) (U) accept the offer as it stands;
(b) (U) postpone a decision until December;
(c) (C) d (d).
(d) (U) refer the matter to the Chairman-in-Office.

\xc2\xb62. (U) The Embassy will report the outcome.

Ashcombe
"""


def _withheld_portion_c() -> str:
    text = normalise(OPTIONS)
    decided = release(text, PUBLIC, AS_OF)
    ids = [
        s.id
        for s, d in zip(decided.document.segments, decided.decisions, strict=True)
        if s.label == "1.c" and d.action == "withhold"
    ]
    assert ids, "portion (c) is withheld under the public policy"
    return ids[0]


@pytest.mark.parametrize("fmt", ["text", "json", "pdf"])
def test_a_short_body_that_reads_like_its_placeholder_and_the_next_label_is_released(
    fmt: str,
) -> None:
    _withheld_portion_c()
    outcome = run(OPTIONS, PUBLIC, AS_OF, fmt=fmt)  # type: ignore[arg-type]
    assert outcome.output
    if fmt == "json":
        released = json.loads(outcome.output)["text"]
        assert "(c) (C) [1 line withheld" in released
        assert "(d) (U) refer the matter" in released


def test_with_the_stand_ins_a_withheld_portion_in_the_output_is_still_a_leak() -> None:
    text = normalise(OPTIONS)
    decided = release(text, PUBLIC, AS_OF)
    intro = next(s for s in decided.document.segments if s.label == "1")
    rendered = render_text(decided, text)
    generated = f"{decided.summary.marking}\n{release_stamp(decided)}"
    check_release(rendered, decided, text, generated, placeholder=placeholder, span_mark=span_mark)
    body = text[intro.body_start : intro.end].strip()
    leaked = rendered.replace("The Embassy will", f"{body} The Embassy will")
    with pytest.raises(LeakError, match=intro.id):
        check_release(
            leaked, decided, text, generated, placeholder=placeholder, span_mark=span_mark
        )


def test_without_the_stand_ins_the_gate_reads_the_placeholder_as_document_text() -> None:
    """What the gate did before: the stand-ins are what lets the release out."""
    segment = _withheld_portion_c()
    text = normalise(OPTIONS)
    decided = release(text, PUBLIC, AS_OF)
    rendered = render_text(decided, text)
    generated = f"{decided.summary.marking}\n{release_stamp(decided)}"
    with pytest.raises(LeakError, match=segment):
        check_release(rendered, decided, text, generated)
