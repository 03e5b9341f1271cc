"""Properties of the DOCX reader on generated Word files: nothing classified is released.

Each memo mixes portions of every level in paragraphs and table cells, and
puts classified words where Word hides them (hidden runs, tracked deletions,
text boxes, footnotes). Tokens name their marking, so a leak is a substring.
"""

from __future__ import annotations

import datetime as dt
import re

from docx.document import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from declass.rules.policy import load_policy
from declass.service.pipeline import run
from declass.service.read.word import EVIDENCE_RULE, read_docx
from declass.service.reader import read_document
from tests.docx_documents import (
    add_notes,
    append_xml,
    blank,
    deletion,
    text_box,
    to_bytes,
)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
LEVELS = {"U": "(U)", "C": "(C)", "S": "(S)", "NF": "(S//NF)"}
RANK = {"U": 0, "C": 1, "S": 2, "NF": 2}
BANNERS = {0: "UNCLASSIFIED", 1: "CONFIDENTIAL", 2: "SECRET//NOFORN"}
PLACES = ["paragraph", "cell", "hidden", "deleted", "text_box", "footnote"]
AS_OF = dt.date(2026, 11, 28)


@st.composite
def portions(draw: st.DrawFn) -> list[tuple[str, str]]:
    """(level, place) pairs; the visible ones set the banner."""
    level = st.sampled_from(sorted(LEVELS))
    return draw(st.lists(st.tuples(level, st.sampled_from(PLACES)), min_size=1, max_size=12))


def build(parts: list[tuple[str, str]], policy_date: str) -> tuple[Document, list[str]]:
    """A memo of ``parts``; the tokens in order, each ``TKN-<level>-<n>``."""
    top = max(RANK[level] for level, _ in parts)
    document = blank()
    section = document.sections[0]
    section.header.paragraphs[0].text = section.footer.paragraphs[0].text = BANNERS[top]
    document.add_paragraph(f"E.O. 12958: DECL: {policy_date}")
    tokens, notes = [], []
    anchor = document.add_paragraph("SUBJECT: (U) Talks")
    for n, (level, place) in enumerate(parts):
        token = f"TKN-{level}-{n:04d}"
        tokens.append(token)
        words = f"{LEVELS[level]} Portion {token} of the talks"
        if place == "paragraph":
            document.add_paragraph(f"{n + 1}. {words}")
        elif place == "cell":
            document.add_table(rows=1, cols=1).cell(0, 0).text = words
        elif place == "hidden":
            anchor.add_run(f" {words}").font.hidden = True
        elif place == "deleted":
            append_xml(anchor, deletion(f" {words}", revision=n))
        elif place == "text_box":
            append_xml(anchor, text_box(words))
        else:
            notes.append(words)
    document.add_paragraph("Classified By: J. Morrow, Director, for reasons 1.4(b) and (d)")
    if notes:
        add_notes(document, "footnotes", notes)
    return document, tokens


@SETTINGS
@given(parts=portions())
def test_no_classified_token_is_released_while_the_memo_is_classified(
    parts: list[tuple[str, str]],
) -> None:
    document, tokens = build(parts, "12/31/2035")
    result = read_docx(to_bytes(document))
    body = result.text.partition(EVIDENCE_RULE)[0]
    output = run(result.text.encode(), load_policy("public"), AS_OF).output.decode()
    for token, (_, place) in zip(tokens, parts, strict=True):
        assert token in result.text, token  # nothing dropped
        if place in ("hidden", "deleted", "text_box", "footnote"):
            assert token not in body, token  # never passed off as body text
        if not token.startswith("TKN-U-"):
            assert token not in output, token
    assert not re.search(r"TKN-(?:C|S|NF)-", output)


def test_unmarked_words_that_word_hides_are_not_released_from_an_unclassified_memo() -> None:
    document, _ = build([("U", "paragraph"), ("U", "cell")], "12/31/2035")
    document.paragraphs[1].add_run(" source name TKN-H-0001").font.hidden = True
    result = read_docx(to_bytes(document))
    assert [problem.code for problem in result.problems] == ["docx_hidden_text"]
    read = read_document(to_bytes(document), max_pages=10)
    output = run(
        read.text.encode(), load_policy("public"), AS_OF, untrusted=read.untrusted
    ).output.decode()
    assert "TKN-H-0001" not in output
