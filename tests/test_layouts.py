"""The parser on layouts beyond the cable: lost line breaks, list leads, collapsed lines.

Each document is small and written here. Every portion carries a unique token
(``ZEBRA1``, ``OKAPI2``, ...) so that a test states exactly which tokens the
``public`` policy releases through the whole pipeline, and which segment kind
and marking the parser gave the text around each one. Classified documents
carry a declassification date after the as-of date, so that only unclassified
and uncontrolled portions may be released.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rules.model import Document, Segment
from rules.parse import parse_document
from rules.policy import load_policy
from service.pipeline import run
from tests.conftest import assert_tiling

AS_OF = dt.date(2026, 11, 28)
TOKEN = re.compile(r"\b[A-Z]{4,}\d{1,2}\b")
CB = "Classified By: Ambassador Jane Roe, reasons 1.4 (b) and (d)"


def cable(body: str, *, banner: str = "C O N F I D E N T I A L PARIS 001234") -> str:
    """A cable header (invented) with ``body`` after it; declassified only in 2036."""
    return (
        f"{banner}\n\nSIPDIS\n\nE.O. 12958: DECL: 08/25/2036\nTAGS: PREL PGOV FR\n"
        f"SUBJECT: (U) ZEBRA0 VISIT\n\n{body}"
    )


def released(text: str, as_of: dt.date = AS_OF) -> set[str]:
    """The tokens that the public policy releases from ``text``."""
    output = run(text.encode(), load_policy("public"), as_of).output.decode()
    return set(TOKEN.findall(output))


def tokens(text: str) -> set[str]:
    return set(TOKEN.findall(text))


def parsed(text: str) -> Document:
    doc = parse_document(text)
    assert_tiling(doc, text)
    return doc


def holding(doc: Document, text: str, needle: str) -> Segment:
    """The segment that holds the first occurrence of ``needle``."""
    offset = text.index(needle)
    return next(seg for seg in doc.segments if seg.start <= offset < seg.end)


def read_as(doc: Document, text: str, needle: str) -> tuple[str, str | None, str | None]:
    """Kind, label and marking (normalised) of the segment holding ``needle``."""
    seg = holding(doc, text, needle)
    return seg.kind, seg.label, seg.marking.normalized if seg.marking else None


# -- 1. header lines match their whole line ------------------------------------------------


@pytest.mark.parametrize(
    ("line", "glued"),
    [
        (f"{CB} 1. (C) Summary: ZEBRA1 the minister said.", "1. (C)"),
        (f"{CB}. 1.(C) ZEBRA1 the minister said.", "1.(C)"),
        (f"{CB} (C) Summary: ZEBRA1 the minister said.", "(C)"),
        (f"{CB} (S//NF) ZEBRA1 the minister said.", "(S//NF)"),
        ("CLASSIFIED BY: Jane Roe, Charge; REASON: 1.4(D) 1. (C) ZEBRA1 said.", "1. (C)"),
    ],
    ids=["numbered", "numbered-no-space", "bare-mark", "capco-mark", "upper-case"],
)
def test_a_portion_glued_after_classified_by_is_its_own_portion(line: str, glued: str) -> None:
    """09TRIPOLI663: the summary paragraph ran on after the reasons, a lost line break."""
    text = cable(f"{line}\n\n2. (U) OKAPI2 open words.\n")
    doc = parsed(text)
    authority = holding(doc, text, "Classified By" if "By:" in line else "CLASSIFIED BY")
    portion = holding(doc, text, glued)
    assert authority.kind == "classified_by"
    assert portion.start == text.index(glued) and portion.kind == "paragraph"
    assert portion.marking is not None and portion.marking.level in ("C", "S")
    assert doc.classified_by is not None and doc.classified_by.reasons
    assert released(text) == {"ZEBRA0", "OKAPI2"}


def test_prose_glued_after_the_reasons_is_an_unmarked_portion() -> None:
    """09PESHAWAR2: ``REASON: 1.4 (a), (b), (d) Summary`` — the word is text, not authority."""
    text = cable(f"{CB} Summary: ZEBRA1 the minister said.\n\n2. (U) OKAPI2 open words.\n")
    doc = parsed(text)
    assert holding(doc, text, "Summary").kind in ("paragraph", "heading")
    assert holding(doc, text, "Summary").marking is None
    assert released(text) == {"ZEBRA0", "OKAPI2"}


@pytest.mark.parametrize(
    "line",
    [
        "Classified By: Ambassador Jane Roe, reasons 1.4 (B), (C) and (D).",
        "Classified By: Ambassador Jane Roe, REASON: 1.4 (C) AND (D)",
        "Classified By: Ambassador Jane Roe, Pol/Econ (S/P) Chief, reasons 1.4 (b)",
    ],
    ids=["reason-letter-c", "reason-c-upper", "office-symbol"],
)
def test_reason_letters_stay_in_the_authority_line(line: str) -> None:
    text = cable(f"{line}\n\n1. (U) OKAPI1 open words.\n")
    doc = parsed(text)
    authority = holding(doc, text, "Classified By")
    assert authority.kind == "classified_by"
    assert authority.end == text.index("1. (U)")


@pytest.mark.parametrize(
    ("head", "glued"),
    [
        ("E.O. 12958: DECL: 08/25/2036 ", "1. (C) ZEBRA1 the minister said."),
        ("E.O. 12958: DECL: 08/25/2036 ", "(S) ZEBRA1 the minister said."),
        ("TAGS: PREL PGOV FR ", "1. (C) ZEBRA1 the minister said."),
        ("SUBJECT: (U) ZEBRA0 VISIT ", "1. (C) ZEBRA1 the minister said."),
        ("SIPDIS ", "(C) ZEBRA1 the minister said."),
    ],
    ids=["decl-numbered", "decl-bare-mark", "tags", "subject", "caption"],
)
def test_a_portion_glued_after_other_header_lines(head: str, glued: str) -> None:
    text = f"SECRET//NOFORN\n\n{head}{glued}\n\n{CB}\n\n2. (U) OKAPI2 open words.\n"
    doc = parsed(text)
    portion = holding(doc, text, glued)
    assert holding(doc, text, head).kind in ("declassification", "tags", "subject", "control")
    assert portion.start == text.index(glued)
    assert portion.marking is not None and portion.marking.level in ("C", "S")
    assert "ZEBRA1" not in released(text)
    assert "OKAPI2" in released(text)


def test_a_ref_list_letter_is_not_a_glued_marking() -> None:
    """``(C) LONDON 789`` in a REF line is the third reference, not CONFIDENTIAL."""
    text = cable(f"REF: (A) STATE 1234 (B) PARIS 456 (C) LONDON 789\n\n{CB}\n\n1. (U) OKAPI1.\n")
    doc = parsed(text)
    ref = holding(doc, text, "REF:")
    assert ref.kind == "reference" and ref.end > text.index("(C) LONDON")
