"""The parser on the hazards of real cables (docs/markings.md 2.4 to 3.6; the corpus's STATS.md).

Every document here is small and invented, modelled on the shape of a corpus
cable (named in the test's docstring); none is copied from the corpus. Each
test also checks that the segments tile the text.

Tests marked ``xfail(strict=True)`` record where the parser disagrees with the
reference or the hazard list; they turn into failures once the parser is fixed,
so that the mark is removed with the fix.
"""

from __future__ import annotations

import datetime as dt

import pytest

from declass.rules.model import Document, Segment
from declass.rules.parse import parse_document
from tests.conftest import assert_tiling

CB = "Classified By: Political Counselor Jane Roe for reasons 1.4 (b) and (d)\n\n"


def header(banner: str, *, subject: str = "(C) INVENTED SUBJECT", decl: str | None = None) -> str:
    """A cable header: banner, SIPDIS, E.O. line, TAGS, SUBJECT (all invented)."""
    eo = "E.O. 12958: DECL: 05/01/2019\n" if decl is None else decl
    return f"{banner}\n\nSIPDIS\n\n{eo}TAGS: PREL PGOV XX\nSUBJECT: {subject}\n\n"


def parsed(text: str) -> Document:
    doc = parse_document(text)
    assert_tiling(doc, text)
    return doc


def covering(doc: Document, text: str, needle: str) -> Segment:
    """The segment that holds the first occurrence of ``needle``."""
    offset = text.index(needle)
    for seg in doc.segments:
        if seg.start <= offset < seg.end:
            return seg
    raise AssertionError(f"no segment covers {needle!r}")


def starting_at(doc: Document, text: str, needle: str) -> Segment:
    offset = text.index(needle)
    found = [seg for seg in doc.segments if seg.start == offset]
    assert found, f"no segment starts at {needle!r}: {[(s.id, s.start) for s in doc.segments]}"
    return found[0]


def codes(doc: Document, segment: Segment | None = None) -> list[str]:
    return [p.code for p in doc.problems if segment is None or p.segment == segment.id]


def raw(seg: Segment) -> str | None:
    return seg.marking.raw if seg.marking is not None else None


# -- page lines and repeated banners inside a paragraph (09BEIJING2932, 90CAPETOWN97, 00HARARE6677)


@pytest.mark.parametrize(
    "page_break",
    [
        "KABUL 00009921  002 OF 002\n\n\n",
        "PAGE 02 KABUL 009921\n\n",
        "CONFIDENTIAL\n\nPAGE 02 KABUL 009921\n\n",
    ],
    ids=["continuation-line", "page-nn", "bare-level-and-page"],
)
def test_page_line_inside_a_paragraph(page_break: str) -> None:
    """09BEIJING2932 / 90CAPETOWN97: a page header sits in the middle of a sentence."""
    text = (
        header("C O N F I D E N T I A L SECTION 01 OF 02 KABUL 009921")
        + CB
        + "1. (C) The minister told us the cabinet would ask the\n"
        "provincial council to delay\n\n"
        + page_break
        + "its vote on the budget until the spring.\n\n"
        "2. (U) A second paragraph.\n"
    )
    doc = parsed(text)
    first = covering(doc, text, "1. (C)")
    page = starting_at(doc, text, page_break.split("\n")[0])
    rest = starting_at(doc, text, "its vote on")
    assert page.kind == "banner"
    assert page.end == rest.start
    assert first.end == page.start
    assert (rest.kind, rest.label, raw(rest)) == ("paragraph", "1", "(C)")
    assert rest.marking_source == "continued"
    assert rest.continues == first.id
    assert covering(doc, text, "2. (U)").label == "2"
    assert doc.banner is not None and doc.banner.level == "C"
    assert "unmarked_portion" not in codes(doc, rest)


def test_repeated_section_banner_inside_a_paragraph() -> None:
    """00HARARE6677: a full SECTION 02 banner and the repeated header block mid-paragraph."""
    text = (
        header("C O N F I D E N T I A L SECTION 01 OF 02 HARARE 009911")
        + CB
        + "1. (C) The party chairman said that his coalition\nwould\n\n"
        "C O N F I D E N T I A L SECTION 02 OF 02 HARARE 009911\n\n"
        "SIPDIS\nNSC FOR REGIONAL DIRECTOR\n\n"
        "reject the draft unless the deadline moved.\n\n"
        "2. (C) A second paragraph.\n"
    )
    doc = parsed(text)
    first = covering(doc, text, "1. (C)")
    repeat = starting_at(doc, text, "C O N F I D E N T I A L SECTION 02")
    rest = starting_at(doc, text, "reject the draft")
    assert repeat.kind == "banner"
    assert covering(doc, text, "NSC FOR").kind in ("banner", "control")
    assert (rest.label, raw(rest), rest.marking_source) == ("1", "(C)", "continued")
    assert rest.continues == first.id
    assert doc.banner is not None and doc.banner.level == "C"
    assert "banners_disagree" not in codes(doc)
    assert covering(doc, text, "2. (C)").label == "2"


# -- damaged banners (07BAGHDAD146, 09MOSCOW1108, STATS "Banner-line quirks")


@pytest.mark.parametrize(
    ("banner", "level"),
    [
        ("SS E C R E T SECTION 01 OF 02 BAGHDAD 009908", "S"),
        ("C ONFIDENTIAL PARIS 001234", "C"),
        ("E C R E T SECTION 01 OF 03 BAGHDAD 009908", "S"),
        ("CC O N F I D E N T I A L PARIS 009909", "C"),
        ("CSE C R E T SECTION 01 OF 02 SHENYANG 009907", "S"),
    ],
)
def test_damaged_banner_still_gives_the_level(banner: str, level: str) -> None:
    text = header(banner) + CB + f"1. ({level}) Body text.\n"
    doc = parsed(text)
    first = doc.segments[0]
    assert first.kind == "banner"
    assert first.end >= len(banner)
    assert doc.banner is not None
    assert doc.banner.level == level
    assert doc.level == level
    assert "banner_damaged" in codes(doc)


# -- where the marking sits on the paragraph line


def test_marking_after_a_lead_in_word() -> None:
    """06PARIS2358: '1. Summary: (C) ...'."""
    text = (
        header("C O N F I D E N T I A L PARIS 009991")
        + CB
        + "1. Summary: (C) The trade official expects the tariff\nreview to slip. End summary.\n\n"
        "2. (C) Next.\n"
    )
    doc = parsed(text)
    seg = starting_at(doc, text, "1. Summary")
    assert (seg.kind, seg.label, raw(seg), seg.marking_source) == ("paragraph", "1", "(C)", "own")
    assert seg.body_start > text.index("(C) The trade")
    assert "unmarked_portion" not in codes(doc, seg)


def test_marking_glued_to_the_paragraph_number() -> None:
    """10STATE284: '1.(U)' with no space."""
    text = (
        header("C O N F I D E N T I A L STATE 009981")
        + CB
        + "1.(U) Posts are asked to deliver the points in para 2.\n\n2.(C) The second paragraph.\n"
    )
    doc = parsed(text)
    one = starting_at(doc, text, "1.(U)")
    two = starting_at(doc, text, "2.(C)")
    assert (one.label, raw(one), one.marking_source) == ("1", "(U)", "own")
    assert (two.label, raw(two), two.marking_source) == ("2", "(C)", "own")


def test_marking_missing_its_opening_parenthesis() -> None:
    """10ROME1: '7. C) In response ...' is a damaged marking, flagged as malformed."""
    text = (
        header("C O N F I D E N T I A L ROME 009901")
        + CB
        + "6. (C) Before.\n\n7. C) Asked about the timetable, the director\nsaid nothing firm.\n"
    )
    doc = parsed(text)
    seg = starting_at(doc, text, "7. C)")
    assert seg.label == "7"
    assert seg.marking is not None
    assert seg.marking.raw == "C)"
    assert seg.marking.level == "C"
    assert seg.marking.damaged
    assert seg.marking_source == "own"
    assert "malformed_marking" in codes(doc, seg)


# -- things that look like markings and are not (docs/markings.md 2.6)

LIST_CABLE = (
    "UNCLAS BUENOS AIRES 009904\n\nE.O. 11652: N/A\nTAGS: PBOR XX\nSUBJECT: INVENTED\n\n"
    "1. THE DELEGATION SHOULD SEEK THREE EDITS TO THE TEXT: (A) DROP THE\n"
    "WORD BINDING FROM ARTICLE TWO; (B) ADD A REVIEW CLAUSE TO THE\n"
    "{wrap}(C) SHORTEN THE ANNEX ON FISHERIES.\n\n"
    "2. NO FURTHER EDITS ARE NEEDED.\n"
)


def test_list_label_c_in_prose_is_not_a_marking() -> None:
    """66BUENOSAIRES2481: '(A) ... (B) ... (C) ...' - the third item of a list."""
    text = LIST_CABLE.format(wrap="FINAL ARTICLE; ")
    doc = parsed(text)
    seg = covering(doc, text, "(C) SHORTEN")
    assert (seg.kind, seg.label, seg.marking) == ("paragraph", "1", None)
    assert doc.level == "U"
    assert "portion_above_banner" not in codes(doc)


def test_list_label_c_wrapped_to_a_line_start_is_not_a_marking() -> None:
    text = LIST_CABLE.format(wrap="FINAL ARTICLE;\n")
    doc = parsed(text)
    seg = covering(doc, text, "(C) SHORTEN")
    assert (seg.label, seg.marking) == ("1", None)
    assert doc.level == "U"


def test_office_symbol_in_a_ref_line_is_not_a_marking() -> None:
    """'SMITH (S/CT) E-MAIL': S/CT is the counter-terrorism coordinator's office."""
    text = (
        header("C O N F I D E N T I A L STATE 012345")
        + "REF: A. STATE 11111 B. SMITH (S/CT) E-MAIL OF 12 MAY\n"
        "(S/P) MEMO OF 14 MAY\n\n" + CB + "1. (C) Body text.\n"
    )
    doc = parsed(text)
    for needle in ("(S/CT)", "(S/P)"):
        seg = covering(doc, text, needle)
        assert (seg.kind, seg.marking) == ("reference", None), needle
    assert doc.level == "C"
    assert "portion_above_banner" not in codes(doc)


def test_topic_labels_are_not_markings() -> None:
    """Media summaries: '2. (U.S.) Failed Terrorist Attack', '3. (Iran) New Protests'."""
    text = (
        "UNCLAS STATE 009905\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: OPRC KPAO\n"
        "SUBJECT: MEDIA REACTION\n\n"
        "1. (U) Summary of the press.\n\n"
        "2. (U.S.) Storm Damage Report\nThe papers reported on the storm.\n\n"
        "3. (Iran) Oil Exports\nThe papers reported on exports.\n"
    )
    doc = parsed(text)
    two = starting_at(doc, text, "2. (U.S.)")
    three = starting_at(doc, text, "3. (Iran)")
    assert (two.label, two.marking) == ("2", None)
    assert (three.label, three.marking) == ("3", None)
    assert doc.level == "U"


# -- header blocks whose lines look like paragraphs


def test_reasons_broken_across_lines() -> None:
    """06MADRID857: 'Reasons 1.' / '4 (B) and (D).' - the second line is not paragraph 4."""
    text = (
        header("C O N F I D E N T I A L MADRID 009951")
        + "Classified By: Charge d'Affaires John Doe; Reasons 1.\n4 (B) and (D).\n\n"
        "1. (C) First paragraph.\n\n2. (C) Second paragraph.\n"
    )
    doc = parsed(text)
    assert doc.classified_by is not None
    assert doc.classified_by.reasons == ["1.4(b)", "1.4(d)"]
    assert covering(doc, text, "4 (B) and (D)").kind == "classified_by"
    labels = [seg.label for seg in doc.segments if seg.kind == "paragraph"]
    assert labels == ["1", "2"]


def test_pilcrow_on_lettered_reference_stays_reference() -> None:
    """WikiLeaks put '¶' on REF letters too: '¶B. STATE 12345' is not a paragraph."""
    text = (
        header("C O N F I D E N T I A L MADRID 009961")
        + "REF: A. MADRID 123\n\n¶B. STATE 12345\n\n¶C. MADRID 456\n\n"
        + CB
        + "¶1. (C) First paragraph.\n\n¶2. (C) Second paragraph.\n"
    )
    doc = parsed(text)
    for needle in ("¶B. STATE", "¶C. MADRID"):
        assert covering(doc, text, needle).kind == "reference", needle
    paragraphs = [seg for seg in doc.segments if seg.kind == "paragraph"]
    assert [seg.label for seg in paragraphs] == ["1", "2"]
    assert all(raw(seg) == "(C)" for seg in paragraphs)


# -- sub-items (08STATE116392)


def test_restarting_sub_items_stay_in_their_paragraph() -> None:
    """08STATE116392 para 3: lettered heads, each with a '1)' list that restarts."""
    text = (
        header("S E C R E T STATE 009971", subject="(S) INVENTED")
        + CB
        + "3. (S/NF) Topics for the coming quarter:\n\n"
        "      A. Trade Policy\n            1) Tariffs\n"
        "            2) Quotas\n\n"
        "      B. Energy\n            1) Pipelines\n"
        "            2) Power Grid\n\n"
        "4. (C) Next paragraph.\n"
    )
    doc = parsed(text)
    three = starting_at(doc, text, "3. (S/NF)")
    for needle in ("A. Trade", "1) Tariffs", "B. Energy", "1) Pipelines", "2) Power"):
        assert covering(doc, text, needle).id == three.id, needle
    assert raw(covering(doc, text, "4. (C)")) == "(C)"
    assert "unmarked_portion" not in codes(doc)


def test_sub_items_after_blank_lines_keep_the_paragraph_marking() -> None:
    text = (
        header("S E C R E T STATE 009971", subject="(S) INVENTED")
        + CB
        + "4. (S/NF) Questions for the visiting team:\n\n"
        "A. Trade Policy\n\n"
        "      1) Tariffs.\n--Which goods the ministry wants to protect.\n\n"
        "--Timing of the next review.\n\n"
        "      2) Quotas.\n--Who allocates them.\n\n"
        "B. Energy\n\n"
        "      1) Pipelines.\n--Planned routes.\n\n"
        "5. (C) Next paragraph.\n"
    )
    doc = parsed(text)
    for needle in ("--Timing", "2) Quotas", "B. Energy", "1) Pipelines."):
        seg = covering(doc, text, needle)
        assert seg.marking is not None and seg.marking.raw == "(S/NF)", needle
        assert seg.label is not None and seg.label.split(".")[0] == "4", needle
    assert "unmarked_portion" not in codes(doc)


def test_bullet_glued_to_its_marking() -> None:
    text = (
        header("C O N F I D E N T I A L RIYADH 009931")
        + CB
        + "1. (C) The ministry raised two concerns:\n\n"
        "--(C) The first concerns the customs code and\nits many exemptions.\n\n"
        "--(S) The second concerns the port.\n"
    )
    doc = parsed(text)
    for needle, mark in (("--(C)", "(C)"), ("--(S)", "(S)")):
        seg = starting_at(doc, text, needle)
        assert (raw(seg), seg.marking_source) == (mark, "own"), needle


# -- banner and portions


def test_portion_above_the_banner_is_a_problem() -> None:
    text = (
        header("C O N F I D E N T I A L PARIS 009991")
        + CB
        + "1. (C) Ordinary.\n\n2. (S/NF) Secret material in a confidential cable.\n"
    )
    doc = parsed(text)
    seg = starting_at(doc, text, "2. (S/NF)")
    assert seg.marking is not None and seg.marking.level == "S"
    assert "portion_above_banner" in codes(doc, seg)
    assert doc.banner is not None and doc.banner.level == "C"
    assert doc.level == "S"


# -- lost line breaks (09BRASILIA35)

GLUED_SIX = "6. (C) Although the plan mentions them twice, the"


def _assert_paragraph_six(text: str) -> None:
    doc = parsed(text)
    five = covering(doc, text, "5. (C)")
    six = starting_at(doc, text, GLUED_SIX)
    assert (five.label, six.label) == ("5", "6")
    assert five.end == six.start
    assert (raw(six), six.marking_source) == ("(C)", "own")
    assert covering(doc, text, "7. (C)").label == "7"


def test_paragraph_glued_mid_line_on_a_continuation_line() -> None:
    text = (
        header("C O N F I D E N T I A L BRASILIA 009941")
        + CB
        + "5. (C) The navy wants\nradar, patrol boats, spare parts and training for older "
        f"ships. {GLUED_SIX}\nbudget sets aside nothing for them.\n\n"
        "7. (C) Next.\n"
    )
    _assert_paragraph_six(text)


def test_paragraph_glued_mid_line_on_the_paragraph_line() -> None:
    text = (
        header("C O N F I D E N T I A L BRASILIA 009941")
        + CB
        + "5. (C) The navy wants radar, patrol boats, spare parts and training for older "
        f"ships. {GLUED_SIX}\nbudget sets aside nothing for them.\n\n"
        "7. (C) Next.\n"
    )
    _assert_paragraph_six(text)


# -- ENTIRE TEXT statements (79TEHRAN8980, 89PANAMA8545, 90CAPETOWN97)


@pytest.mark.parametrize(
    ("banner", "statement", "level"),
    [
        ("C O N F I D E N T I A L", "1. CONFIDENTIAL - ENTIRE TEXT.", "C"),
        ("C O N F I D E N T I A L", "¶1. (C - ENTIRE TEXT).", "C"),
        ("C O N F I D E N T I A L", "1. C - ENTIRE TEXT.", "C"),
        ("S E C R E T", "¶1. SECRET - ENTIRE TEXT.", "S"),
    ],
)
def test_entire_text_statement_marks_later_paragraphs(
    banner: str, statement: str, level: str
) -> None:
    text = (
        f"{banner} PANAMA 009906\n\nE.O. 12356: DECL: OADR\nTAGS: PGOV XX\n"
        "SUBJECT: INVENTED\n\n"
        f"{statement}\n\n"
        "2. THE MINISTER EXPECTS A CABINET CHANGE.\n\n"
        "THE PARTIES ARE SPLIT.\n\n"
        "3. NO DATE WAS GIVEN.\n"
    )
    doc = parsed(text)
    first = starting_at(doc, text, statement)
    assert first.marking is not None and first.marking.entire_text
    assert (first.marking.level, first.marking_source) == (level, "own")
    for needle in ("2. THE MINISTER", "THE PARTIES", "3. NO DATE"):
        seg = covering(doc, text, needle)
        assert seg.kind == "paragraph", needle
        assert seg.marking is not None and seg.marking.level == level, needle
        assert seg.marking_source == "entire_text", needle
        assert "unmarked_portion" not in codes(doc, seg), needle


def test_lower_case_marking_after_a_paragraph_number() -> None:
    """'(c)' after a paragraph number is CONFIDENTIAL, with a warning (docs/markings.md 2.4)."""
    text = (
        header("C O N F I D E N T I A L LONDON 009903")
        + CB
        + "1. (c) Lower case marking after the number.\n\n2. (C) Normal.\n"
    )
    doc = parsed(text)
    seg = starting_at(doc, text, "1. (c)")
    assert seg.marking is not None
    assert (seg.marking.raw, seg.marking.level, seg.marking_source) == ("(c)", "C", "own")
    assert not seg.marking.valid
    assert "lowercase" in seg.marking.problems


def test_unmarked_paragraph_in_a_classified_cable() -> None:
    text = (
        header("C O N F I D E N T I A L KABUL 009902")
        + CB
        + "1. (C) Marked.\n\n2. Unmarked paragraph in a classified cable.\n"
    )
    doc = parsed(text)
    seg = starting_at(doc, text, "2. Unmarked")
    assert (seg.label, seg.marking) == ("2", None)
    assert "unmarked_portion" in codes(doc, seg)


def test_classified_cable_without_an_eo_line() -> None:
    text = header("S E C R E T KABUL 009902", subject="(S) INVENTED", decl="") + "1. (S) Body.\n"
    doc = parsed(text)
    assert doc.declassification is None
    assert doc.level == "S"
    assert "classified_without_declassification" in codes(doc)


def test_collapsed_header_line() -> None:
    """10STATE284: banner, SIPDIS, E.O. and TAGS on one line."""
    line = (
        "C O N F I D E N T I A L SECTION 01 OF 02 STATE 009981 SIPDIS "
        "E.O. 12958: DECL: 01/04/2020 TAGS: MASS MARR MCAP PGOV"
    )
    text = f"{line}\n\n1.(U) Posts are asked to deliver the points in para 2.\n\n2.(C) Second.\n"
    doc = parsed(text)
    kinds = [seg.kind for seg in doc.segments[:4]]
    assert kinds == ["banner", "control", "declassification", "tags"]
    assert starting_at(doc, text, "SIPDIS").kind == "control"
    assert starting_at(doc, text, "E.O. 12958").kind == "declassification"
    assert starting_at(doc, text, "TAGS:").kind == "tags"
    assert doc.banner is not None and doc.banner.level == "C"
    assert doc.declassification is not None
    assert doc.declassification.date == dt.date(2020, 1, 4)
    assert "SIPDIS" in doc.captions
    assert [raw(seg) for seg in doc.segments if seg.kind == "paragraph"] == ["(U)", "(C)"]
