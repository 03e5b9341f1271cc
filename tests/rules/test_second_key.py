"""Two keys before any release: what key 1 releases, key 2 must account for.

Each document puts classified text where the parser may read it as
releasable (a glued header line, a mark after a ``(U)`` headline, an SBU
statement in prose, a mark in a memo believed unclassified). Whatever key 1
makes of the layout, the classified token must never leave in any format.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from declass.rules.engine import decide
from declass.rules.errors import LeakError
from declass.rules.evidence import find_evidence
from declass.rules.parse import normalise, parse_document
from declass.rules.policy import load_policy
from declass.rules.release import Override, Release
from declass.rules.second_key import check_output
from declass.service.formats import Format
from declass.service.pipeline import run
from declass.service.render.pdf import pdf_text
from declass.service.render.text import render_text

TODAY = dt.date(2026, 11, 28)
FORMATS = ("text", "json", "pdf")

CABLE_HEAD = """\
C O N F I D E N T I A L PARIS 006120

SIPDIS

E.O. 12958: DECL: {decl}
TAGS: PREL PGOV
SUBJECT: A TEST CABLE

"""


def _cable(body: str, decl: str = "08/25/2036") -> str:
    return CABLE_HEAD.format(decl=decl) + body


def _outputs(text: str, policy: str = "public", as_of: dt.date = TODAY) -> dict[str, str]:
    """Every format's output as text a reader gets (PDF: extracted with pypdf)."""
    loaded = load_policy(policy)
    outputs: dict[str, str] = {}
    for fmt in FORMATS:
        outcome = run(text.encode("utf-8"), loaded, as_of, fmt=fmt)  # type: ignore[arg-type]
        data = outcome.output
        outputs[fmt] = pdf_text(data) if fmt == "pdf" else data.decode("utf-8")
    return outputs


def _release(text: str, policy: str = "public", as_of: dt.date = TODAY) -> Release:
    clean = normalise(text.encode("utf-8"))
    return decide(parse_document(clean), clean, load_policy(policy), as_of)


def _assert_absent(text: str, token: str, **kwargs: object) -> None:
    for fmt, output in _outputs(text, **kwargs).items():  # type: ignore[arg-type]
        assert token not in output, f"{token} released in {fmt}"


@pytest.mark.parametrize(
    "body",
    [
        # A lost line break: the summary rides on the Classified By line.
        "Classified By: Amb. Jane Roe, reasons 1.4(b) and (d) 1. (C) Summary: ZEBRAGLUE words.\n",
        # A classified body after an unclassified headline, on one line.
        "Classified By: Amb. Jane Roe, reasons 1.4(b) and (d)\n\n"
        "1. (U) Headline: (S//NF) ZEBRAHEAD body words.\n",
        # A mark that only a reader of damaged forms sees.
        "Classified By: Amb. Jane Roe, reasons 1.4(b) and (d)\n\n"
        "1. (U) Fine words; (Ｃ) ZEBRAWIDE full-width mark.\n",
    ],
    ids=["glued-classified-by", "headline-then-mark", "full-width-mark"],
)
def test_classified_text_after_a_releasable_lead_never_leaves(body: str) -> None:
    text = _cable(body)
    token = next(word for word in text.split() if word.startswith("ZEBRA"))
    _assert_absent(text, token)
    _assert_absent(text, token, policy="partner-gbr-secret")


def test_a_mark_after_a_u_headline_sends_its_segment_to_review() -> None:
    text = _cable(
        "Classified By: Amb. Jane Roe, reasons 1.4(b) and (d)\n\n"
        "1. (U) Headline words; then (S//NF) ZEBRA body words.\n\n"
        "2. (U) KIWI plain words.\n"
    )
    release = _release(text)
    by_token = {
        word: decision
        for segment, decision in zip(release.document.segments, release.decisions, strict=True)
        for word in ("ZEBRA", "KIWI")
        if word in text[segment.start : segment.end]
    }
    assert by_token["KIWI"].action == "release"
    assert by_token["ZEBRA"].action in {"review", "withhold"}
    problems = [p for p in release.document.problems if p.code.startswith("classification_evid")]
    if by_token["ZEBRA"].rule.endswith("evidence-not-accounted"):
        assert problems and problems[0].detail.startswith("line ")
        assert "ZEBRA" not in problems[0].detail and "(S//NF)" not in problems[0].detail


def test_sbu_statement_in_prose_sends_an_unclassified_document_to_review() -> None:
    text = (
        "UNCLASSIFIED\n\nMEMORANDUM\n\n"
        "This memo is SENSITIVE BUT UNCLASSIFIED -- HANDLE ACCORDINGLY and so on.\n\n"
        "The plan is ZEBRASBU and stays among us.\n\nUNCLASSIFIED\n"
    )
    release = _release(text)
    codes = {p.code for p in release.document.problems}
    assert "classification_evidence_not_read" in codes or release.summary.released <= 1
    _assert_absent(text, "ZEBRASBU")


@pytest.mark.parametrize(
    "memo",
    [
        "MEMORANDUM\n\nThe talks went well. As agreed (S) ZEBRAMEMO stays close.\n",
        "UNCLASSIFIED\n\nMEMORANDUM\n\nAs agreed, per the (S//NF) ZEBRAMEMO annex.\n",
        "MEMORANDUM\nClassification: SECRET//NOFORN\n\nThe plan is ZEBRAMEMO.\n",
        "Report\n\nSecret/Noforn\n\nThe plan is ZEBRAMEMO.\n",
    ],
    ids=["mark-in-unmarked-memo", "mark-under-unclas-banner", "email-label", "odd-banner"],
)
def test_evidence_the_parser_did_not_read_sends_the_document_to_review(memo: str) -> None:
    release = _release(memo)
    released = [
        release.document.segments[i]
        for i, d in enumerate(release.decisions)
        if d.action == "release" and release.document.segments[i].kind != "banner"
    ]
    assert not any("ZEBRAMEMO" in memo[s.start : s.end] for s in released)
    _assert_absent(memo, "ZEBRAMEMO")


def test_a_mark_above_the_banner_of_a_declassified_document_goes_to_review() -> None:
    text = _cable(
        "Classified By: Amb. Jane Roe, reasons 1.4(b) and (d)\n\n"
        "1. (C) Ordinary words, and per the annex (TS//SI) ZEBRATOP words.\n",
        decl="08/25/2016",
    )
    release = _release(text)
    assert "classification_evidence_not_read" in {p.code for p in release.document.problems}
    _assert_absent(text, "ZEBRATOP")


def test_a_declassified_document_still_releases_its_own_marks() -> None:
    """Recall: a mark at or below the banner inside a declassified document is accounted."""
    text = _cable(
        "Classified By: Amb. Jane Roe, reasons 1.4(b) and (d)\n\n"
        "1. (C) Ordinary words, as noted in (C) KIWIONE and REF A (C).\n\n"
        "2. (C) KIWITWO words.\n",
        decl="08/25/2016",
    )
    release = _release(text)
    assert not [p for p in release.document.problems if "evidence" in p.code]
    for output in _outputs(text).values():
        assert "KIWIONE" in output and "KIWITWO" in output


def test_a_partner_release_accounts_for_marks_it_may_release() -> None:
    text = (
        "SECRET//REL TO USA, GBR\n\nSUBJECT: (U) Test\n\n"
        "1. (U) Headline: (S//REL TO USA, GBR) KIWIREL words.\n\nSECRET//REL TO USA, GBR\n"
    )
    partner = _release(text, policy="partner-gbr-secret")
    public = _release(text)
    assert not [p for p in partner.document.problems if "evidence" in p.code]
    assert "KIWIREL" in _outputs(text, policy="partner-gbr-secret")["text"]
    assert "KIWIREL" not in _outputs(text)["text"]
    assert any(d.action != "release" for d in public.decisions)


def test_a_reviewer_may_release_what_key_2_sent_to_review() -> None:
    text = _cable(
        "Classified By: Amb. Jane Roe, reasons 1.4(b) and (d)\n\n"
        "1. (U) Headline; then (S//NF) ZEBRA body words.\n"
    )
    release = _release(text)
    held = [d for d in release.decisions if d.rule.endswith("evidence-not-accounted")]
    assert held, "key 2 did not act"
    clean = normalise(text.encode("utf-8"))
    overridden = decide(
        parse_document(clean),
        clean,
        load_policy("public"),
        TODAY,
        overrides=[Override(segment=held[0].segment, action="release", reason="checked")],
    )
    assert overridden.decision_for(held[0].segment).action == "release"


def test_the_output_check_refuses_evidence_no_decision_accounts_for() -> None:
    allowed = Counter(t.key for t in find_evidence("1. (C) words", context=False))
    check_output("1. (C) words", allowed, [])
    with pytest.raises(LeakError, match="key 2") as caught:
        check_output("1. (C) words (S//NF) more", allowed, [])
    assert "more" not in str(caught.value)
    check_output("SECRET//NOFORN 1. (C) words", allowed, ["SECRET//NOFORN"])


def test_a_renderer_that_adds_a_mark_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer is not trusted: key 2 counts marks in what it emitted."""
    text = _cable("Classified By: Amb. Jane Roe, reasons 1.4(b) and (d)\n\n1. (U) Words.\n")
    real = render_text
    monkeypatch.setattr(
        "declass.service.render.outputs.render_text",
        lambda release, src: real(release, src) + "(S//NF)\n",
    )
    with pytest.raises(LeakError, match="key 2"):
        run(text.encode("utf-8"), load_policy("public"), TODAY, fmt="text")


def test_an_unaccounted_mark_governs_to_the_end_of_its_paragraph() -> None:
    """A wrapped line the parser cut into its own segment still belongs to the mark."""
    text = _cable(
        "Classified By: Amb. Jane Roe, reasons 1.4(b) and (d) (S//NF) ZEBRAONE words\n"
        "ZEBRATWO more words of the same paragraph.\n\n"
        "1. (U) KIWI plain words.\n"
    )
    for output in _outputs(text).values():
        assert "ZEBRAONE" not in output and "ZEBRATWO" not in output
        assert "KIWI" in output


def test_an_sbu_statement_governs_unmarked_paragraphs_even_beside_sbu_portions() -> None:
    """Portions marked (SBU) do not make an unread SBU banner line news to nobody: the line
    governs the unmarked paragraphs, which go to review."""
    text = (
        "UNCLAS PARIS 001791\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PREL\n"
        "SUBJECT: A TEST CABLE\n\n"
        "SENSITIVE BUT UNCLASSIFIED -- HANDLE ACCORDINGLY\n\n"
        "1. (SBU) ZEBRAMARKED words.\n\n"
        "ZEBRAUNMARKED words with no mark of their own.\n"
    )
    release = _release(text)
    assert "classification_evidence_not_read" in {p.code for p in release.document.problems}
    _assert_absent(text, "ZEBRAUNMARKED")
    _assert_absent(text, "ZEBRAMARKED")


def test_a_mark_riding_on_a_banner_line_is_not_taken_for_the_banner() -> None:
    """Only the banner-like token of a banner segment counts as read by key 1."""
    from declass.rules.evidence import Evidence
    from declass.rules.model import Document, Segment
    from declass.rules.second_key import _read_by_key1

    banner = Segment(id="s001", kind="banner", start=0, end=30, body_start=0)
    document = Document(sha256="0", level="S", segments=[banner])
    assert _read_by_key1(Evidence(0, 14, "banner", "S", ("NOFORN",)), banner, document)
    assert not _read_by_key1(Evidence(15, 18, "portion", "S"), banner, document)
    assert not _read_by_key1(Evidence(0, 14, "banner", "TS"), banner, document)


@pytest.mark.parametrize(
    "text",
    [
        # A quoted e-mail holding a table whose mark is spelled with a Cyrillic DZE.
        "From: a@b\nSubject: RE: plan\nClassification: UNCLASSIFIED\n\nFine by me.\n\n"
        "> On Mon, X wrote:\n> | Item | Mark | Note |\n"
        "> | 1 | (\u0405//NF) | ZEBRA secret table words |\n",
        # A roman lead, then a marked clause glued after a declassification phrase.
        "SECRET\n\niv. (U) Heading; Declassify On: 20451231 (S) ZEBRA hidden after it.\n\n"
        "Classified By: J. Roe, reasons 1.4(b)\nE.O. 12958: DECL: 12/31/2045\n",
        # Outline numbers and a bracketed mark under an UNCLASSIFIED banner.
        "UNCLASSIFIED\n\nMEMO\n\n3.2.1 Program notes.\n3.2.2 [(C//NF)] ZEBRA bracketed mark.\n",
        # A banner spelled with zero-width spaces between its letters.
        "S\u200bE\u200bC\u200bR\u200bE\u200bT\n\nThe plan ZEBRA goes ahead.\n",
    ],
    ids=["quoted-table-look-alike", "roman-glued-decl", "outline-bracketed", "zero-width-banner"],
)
@pytest.mark.parametrize("policy", ["public", "partner-gbr-secret"])
def test_layouts_no_reader_was_written_for_release_nothing_classified(
    text: str, policy: str
) -> None:
    _assert_absent(text, "ZEBRA", policy=policy)


@pytest.mark.parametrize("invisible", ["\u200f", "\u200b", "\u00ad", "\u0301"])
@pytest.mark.parametrize("fmt", ["text", "json", "pdf"])
def test_a_kept_label_followed_by_an_invisible_character_is_accounted_for(
    invisible: str, fmt: Format
) -> None:
    """A withheld portion keeps its label; key 2 reads the invisible character after the
    mark into the token, and must still see that the label it emits is the input's."""
    text = f"(S//NF){invisible}\n¶2. (S) the plan.\n"
    output = run(text.encode("utf-8"), load_policy("public"), dt.date(2000, 1, 1), fmt=fmt)
    emitted = pdf_text(output.output) if fmt == "pdf" else output.output.decode("utf-8")
    assert "the plan" not in emitted
    assert "(S//NF)" in emitted
