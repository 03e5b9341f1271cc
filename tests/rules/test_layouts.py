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

from declass.rules.dates import DateOutOfRange, add_years, end_of_year
from declass.rules.lines import read_lead
from declass.rules.model import Document, Segment
from declass.rules.parse import parse_document
from declass.rules.policy import load_policy
from declass.rules.strays import find_strays
from declass.service.pipeline import run
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


@pytest.mark.parametrize(
    "line",
    [
        "E.O. 12958: DECL: 08/25/2036 The minister said ZEBRA1 words.",
        "E.O. 12958: DECL: 08/25/2036 SUMMARY: THE SHAH ZEBRA1 AGREED.",
        "Declassify On: 20360825 ZEBRA1 the source said.",
    ],
)
def test_prose_glued_after_an_instruction_is_an_unmarked_portion(line: str) -> None:
    text = f"SECRET//NOFORN\n\n{line}\nSUBJECT: (U) ZEBRA0 VISIT\n\n1. (U) OKAPI2 open.\n\n{CB}\n"
    doc = parsed(text)
    assert holding(doc, text, line).kind == "declassification"
    assert holding(doc, text, "ZEBRA1").kind in ("paragraph", "heading")
    assert doc.declassification is not None and doc.declassification.kind == "date"
    assert released(text) == {"ZEBRA0", "OKAPI2"}


def test_a_ref_list_letter_is_not_a_glued_marking() -> None:
    """``(C) LONDON 789`` in a REF line is the third reference, not CONFIDENTIAL."""
    text = cable(f"REF: (A) STATE 1234 (B) PARIS 456 (C) LONDON 789\n\n{CB}\n\n1. (U) OKAPI1.\n")
    doc = parsed(text)
    ref = holding(doc, text, "REF:")
    assert ref.kind == "reference" and ref.end > text.index("(C) LONDON")


# -- 2. a mark at the start of a line opens a portion after any list lead -----------------

LEADS = [
    "1.2 ",
    "6.1.3 ",
    "(1) ",
    "ii. ",
    "IV) ",
    "Para 3. ",
    "PARAGRAPH 3: ",
    "– ",
    "— ",
    "▪ ",
    "■ ",
    "◦ ",
    "‣ ",
    "· ",
    "o ",
    "+ ",
    "# ",
    "Q: ",
    "A: ",
    "1/ ",
    "[2] ",
    "² ",
    "| ",
    "> ",
    ">> ",
    "> > ",
    "> 3. ",
    "| - ",
    "*** ",
    "¶ ",
    "---- ",
    "=> ",
    "(A) ",
    "(iv) ",
    "1a. ",
    "Paragraph 3 - ",
]


@pytest.mark.parametrize("lead", LEADS, ids=[lead.strip() for lead in LEADS])
def test_a_mark_after_a_list_lead_opens_a_portion(lead: str) -> None:
    """No blank line, an unclassified portion just before: the worst place to be swallowed."""
    text = (
        "SECRET//NOFORN\n\nSUBJECT: (U) ZEBRA0 VISIT\n\n"
        f"1. (U) OKAPI1 open words about the visit.\n{lead}(S//NF) ZEBRA2 secret words.\n"
        f"{lead}(U) OKAPI3 open words again.\n\n{CB}\nDeclassify On: 20360825\n"
    )
    doc = parsed(text)
    secret = holding(doc, text, "ZEBRA2")
    assert secret.start == text.index(f"{lead}(S//NF)")
    assert secret.marking is not None and secret.marking.normalized == "(S//NF)"
    assert secret.marking_source == "own"
    assert read_as(doc, text, "OKAPI3")[2] == "(U)"
    assert released(text) == {"ZEBRA0", "OKAPI1", "OKAPI3"}


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("1.2 (S) ZEBRA2 words.", "1.2"),
        ("(3) (S) ZEBRA2 words.", "1.3"),
        ("Para 2. (S) ZEBRA2 words.", "2"),
        ("iii. (S) ZEBRA2 words.", "1.iii"),
    ],
    ids=["outline", "parenthesised", "para", "roman"],
)
def test_the_numbering_is_the_label(line: str, label: str) -> None:
    text = f"SECRET\n\n1. (U) OKAPI1 open.\n{line}\n\n{CB}\nDeclassify On: 20360825\n"
    doc = parsed(text)
    assert holding(doc, text, "ZEBRA2").label == label


def test_a_quoted_reply_keeps_its_markings() -> None:
    """An e-mail thread: the reply is unclassified, the quoted message is not."""
    text = (
        "Classification: SECRET\n\n(U) OKAPI1 Thanks, see below.\n\n"
        "On Monday, Jane Roe wrote:\n> (S//NF) ZEBRA2 the source said the talks failed.\n"
        "> more of the secret message ZEBRA3.\n>> (C) ZEBRA4 older message.\n"
        ">> (U) OKAPI5 older open line.\n\n"
        f"{CB}\nDeclassify On: 20360825\n"
    )
    doc = parsed(text)
    assert read_as(doc, text, "ZEBRA2")[2] == "(S//NF)"
    assert read_as(doc, text, "ZEBRA3")[2] == "(S//NF)"
    assert read_as(doc, text, "ZEBRA4")[2] == "(C)"
    assert released(text) == {"OKAPI1", "OKAPI5"}


@pytest.mark.parametrize("label", ["Note: ", "Comment: ", "Item 3: ", "Action Request: "])
def test_a_mark_after_a_label_opens_a_portion_that_withholds(label: str) -> None:
    """``Note: (S) ...`` opens a portion; a less strict mark after a label right
    under a classified line may be a wrapped sentence (``attacks: (S//REL ...)``)
    and stays with it, unless a blank line stands between them."""
    text = (
        "SECRET\n\n1. (U) OKAPI1 open.\n"
        f"{label}(S//NF) ZEBRA2 secret.\n{label}(U) ZEBRA3 kept with the line above.\n\n"
        f"{label}(U) OKAPI4 open after a blank line.\n\n{CB}\nDeclassify On: 20360825\n"
    )
    doc = parsed(text)
    assert read_as(doc, text, "ZEBRA2")[2] == "(S//NF)"
    assert read_as(doc, text, "ZEBRA3")[2] == "(S//NF)"
    assert read_as(doc, text, "OKAPI4")[2] == "(U)"
    assert released(text) == {"OKAPI1", "OKAPI4"}


@pytest.mark.parametrize("line", ["Subject: (U) ZEBRA1", "Classified By: (U) Jane Roe, reason 1.4"])
def test_a_header_label_is_not_a_list_lead(line: str) -> None:
    assert read_lead(line) is None


@pytest.mark.parametrize("line", ["1.2 million people came.", "(1) the first point", "+ 5 more"])
def test_a_list_lead_without_a_mark_is_prose(line: str) -> None:
    text = f"SECRET\n\n1. (S) ZEBRA1 secret words\n{line}\n\n{CB}\nDeclassify On: 20360825\n"
    doc = parsed(text)
    assert holding(doc, text, line).start == text.index("1. (S)")


def test_a_wrapped_reasons_phrase_is_not_an_outline_number() -> None:
    text = cable("Classified By: Jane Roe, reasons\n1.4 (C) and (D).\n\n1. (U) OKAPI1.\n")
    doc = parsed(text)
    assert holding(doc, text, "1.4 (C)").kind == "classified_by"
    assert doc.classified_by is not None and doc.classified_by.reasons


def test_a_paragraph_number_without_its_dot() -> None:
    """10PARIS71: ``18 (C) Like other ...`` lost the dot after its number."""
    text = cable(f"{CB}\n\n1. (U) OKAPI1 open.\n\n2 (C) ZEBRA2 secret.\n\n3 (U) OKAPI3 open.\n")
    doc = parsed(text)
    assert read_as(doc, text, "ZEBRA2") == ("paragraph", "2", "(C)")
    assert read_as(doc, text, "OKAPI3") == ("paragraph", "3", "(U)")
    assert released(text) == {"ZEBRA0", "OKAPI1", "OKAPI3"}


@pytest.mark.parametrize("lead", ["1.2 ", "(1) ", "> ", "| ", "Q: ", "[2] ", "– "])
def test_the_safety_net_sees_marks_after_list_leads(lead: str) -> None:
    """rules/strays.py reads the same leads, independently of the parser."""
    text = f"UNCLASSIFIED\n\n1. (U) OKAPI1 open.\n{lead}(S) ZEBRA2 secret.\n"
    *kept, secret = parse_document(text).segments
    assert secret.start == text.index(lead + "(S)")
    swallowed = [*kept[:-1], kept[-1].model_copy(update={"end": len(text)})]  # a parser bug
    assert [stray.marking.level for stray in find_strays(text, swallowed)] == ["S"]


# -- 3. marks inside a line: after a headline, collapsed paragraphs, table cells ----------


@pytest.mark.parametrize(
    "line",
    [
        "1. (U) Nigeria - OKAPI1 kidnappers: (S//NF) ZEBRA2 the source said.",
        "(U) OKAPI1 Headline: (S//NF) ZEBRA2 the source said.",
        "1. (U) OKAPI1 headline.  (S//NF) ZEBRA2 the source said.",
    ],
    ids=["numbered-headline", "bare-headline", "after-sentence"],
)
def test_a_mark_after_an_unclassified_headline_starts_a_portion(line: str) -> None:
    """08STATE116943: ``(U) AF - Cameroon - ... : (S//NF) The October 31 kidnapping``."""
    text = f"SECRET//NOFORN\n\n{line}\nmore ZEBRA3 secret words.\n\n{CB}\nDeclassify On: 20360825\n"
    doc = parsed(text)
    body = holding(doc, text, "ZEBRA2")
    assert body.start == text.index("(S//NF)")
    assert body.marking is not None and body.marking.normalized == "(S//NF)"
    assert holding(doc, text, "ZEBRA3") == body
    assert holding(doc, text, "OKAPI1").marking is not None
    assert released(text) == {"OKAPI1"}


COLLAPSED = "2. (U) OKAPI2 open. 3. (S) ZEBRA3 secret. 4. (C) ZEBRA4 secret. 5. (U) OKAPI5 open."
SKIPPED = "2. (U) OKAPI2 open. 4. (S) ZEBRA3 secret. 4. (C) ZEBRA4 secret. 9. (U) OKAPI5 open."
TABLE = "| (U) OKAPI2 open | (S) ZEBRA3 secret | (C) ZEBRA4 secret | (U) OKAPI5 open |"


@pytest.mark.parametrize(
    ("line", "levels"),
    [
        (COLLAPSED, ["(U)", "(S)", "(C)", "(U)"]),
        (TABLE, ["(U)", "(S)", "(C)", "(U)"]),
        # Out of sequence, a marking starts a portion only where it withholds at
        # least as much as the text it interrupts: "4. (C)" and "9. (U)" stay (S).
        (SKIPPED, ["(U)", "(S)", "(S)", "(S)"]),
    ],
    ids=["in-order", "table-row", "skipped-and-repeated"],
)
def test_a_collapsed_line_splits_into_its_portions(line: str, levels: list[str]) -> None:
    text = f"SECRET\n\n1. (U) OKAPI1 open.\n{line}\n\n{CB}\nDeclassify On: 20360825\n"
    doc = parsed(text)
    found = [read_as(doc, text, token)[2] for token in ("OKAPI2", "ZEBRA3", "ZEBRA4", "OKAPI5")]
    assert found == levels
    expected = {"OKAPI1", "OKAPI2"} | ({"OKAPI5"} if levels[3] == "(U)" else set())
    assert released(text) == expected


@pytest.mark.parametrize(
    "noise",
    ["TOK1 SUBJECT: (U) nothing", "TOK1 (U.S.) (U) rest", "TOK1. (U) rest", "TOK1. 7. (U) rest"],
)
def test_a_less_strict_mark_in_mid_sentence_does_not_release(noise: str) -> None:
    text = f"SECRET\n\n1. (S) ZEBRA1 {noise}\nZEBRA2 more.\n\n{CB}\nDeclassify On: 20360825\n"
    assert released(text) == set()


@pytest.mark.parametrize(
    "line",
    [
        "1. (S) ZEBRA1 they agreed to (A) stop; (B) withdraw; (C) talk later.",
        "1. (S) ZEBRA1 the office of Policy Planning (S/P) wrote. (S/P) Staff agreed.",
        "1. (S) ZEBRA1 as of 5. (U) nothing",
    ],
    ids=["list-letters", "office-symbol", "not-next-number"],
)
def test_a_parenthesis_in_prose_is_not_a_portion(line: str) -> None:
    text = f"SECRET\n\n{line}\n\n{CB}\nDeclassify On: 20360825\n"
    doc = parsed(text)
    assert holding(doc, text, "ZEBRA1").end > text.index(line) + len(line)


@pytest.mark.parametrize(
    ("first", "second", "splits"),
    [
        ("(S//REL TO USA, GBR)", "(S//NF)", True),
        ("(S//NF)", "(S//REL TO USA, FVEY)", False),
        ("(S//REL TO USA, FVEY)", "(S//REL TO USA, GBR)", True),
        ("(S//REL TO USA, GBR)", "(S//REL TO USA, FVEY)", False),
        ("(C)", "(S)", True),
        ("(S)", "(C)", False),
    ],
)
def test_after_a_headline_only_a_mark_as_strict_splits(
    first: str, second: str, splits: bool
) -> None:
    text = f"SECRET\n\n{first} OKAPI1 Headline: {second} ZEBRA2 body.\n\n{CB}\n"
    doc = parsed(text)
    assert (holding(doc, text, "ZEBRA2").start == text.index(second)) is splits


# -- 5. banners in any spelling ------------------------------------------------------------


@pytest.mark.parametrize(
    ("banner", "level", "controls"),
    [
        ("SECRET/NOFORN", "S", ["NOFORN"]),
        ("SECRET NOFORN", "S", ["NOFORN"]),
        ("SECRET / NOFORN", "S", ["NOFORN"]),
        ("Secret//Noforn", "S", ["NOFORN"]),
        ("Secret/Noforn", "S", ["NOFORN"]),
        ("Classification: SECRET", "S", []),
        ("CLASSIFICATION: CONFIDENTIAL", "C", []),
        ("Classification: Secret//NOFORN", "S", ["NOFORN"]),
        ("Top Secret//SCI", "TS", []),
        ("TOP SECRET/SI/TK/NOFORN", "TS", ["NOFORN"]),
        ("SECRET REL TO USA, GBR", "S", ["REL TO"]),
        ("CUI//SP-PRVCY", "U", ["CUI", "SP-PRVCY"]),
        ("CUI SP-PRVCY", "U", ["CUI", "SP-PRVCY"]),
        ("CONTROLLED UNCLASSIFIED INFORMATION", "U", ["CUI"]),
        ("Classification: UNCLASSIFIED//FOUO", "U", ["FOUO"]),
    ],
)
def test_a_banner_in_any_spelling_is_read(banner: str, level: str, controls: list[str]) -> None:
    text = f"{banner}\n\n(U) OKAPI1 open words.\n\nZEBRA2 unmarked words.\n\n{banner}\n"
    doc = parsed(text)
    assert doc.banner is not None
    assert (doc.banner.level, doc.banner.controls) == (level, controls)
    assert holding(doc, text, banner).kind == "banner"
    assert released(text) == {"OKAPI1"}


@pytest.mark.parametrize(
    "line",
    [
        "SECRET POLICE",
        "Secret",
        "Confidential",
        "The secret talks went well",
        "SECRET TALKS WITH THE REBELS",
        "CUI REPORT",
        "Classification: pending",
    ],
)
def test_prose_with_a_level_word_is_no_banner(line: str) -> None:
    text = f"UNCLASSIFIED\n\n(U) OKAPI1 open words.\n\n{line}\n"
    doc = parsed(text)
    assert holding(doc, text, line).kind != "banner"
    assert doc.banner is not None and doc.banner.level == "U"


# -- 6. controlled unclassified short forms ------------------------------------------------


def decisions(text: str, as_of: dt.date = AS_OF) -> dict[str, str]:
    """Token -> the action the public policy takes on the segment that holds it."""
    outcome = run(text.encode(), load_policy("public"), as_of, fmt="json")
    actions = {d.segment: d.action for d in outcome.release.decisions}
    doc = outcome.release.document
    return {token: actions[holding(doc, text, token).id] for token in tokens(text)}


@pytest.mark.parametrize(
    ("mark", "control"),
    [
        ("(FOUO)", "FOUO"),
        ("(LOU)", "LOU"),
        ("(LES)", "LES"),
        ("(SSI)", "SSI"),
        ("(U//DOD UCNI)", "DOD UCNI"),
        ("(DOE UCNI)", "DOE UCNI"),
        ("(SBU)", "SBU"),
        ("(U//FOUO)", "FOUO"),
        ("(U//LOU)", "LOU"),
        ("(U//CUI)", "CUI"),
        ("(FOUO/LES)", "LES"),
    ],
)
@pytest.mark.parametrize("banner", ["SECRET", "UNCLASSIFIED"])
def test_a_controlled_unclassified_portion_goes_to_review(
    mark: str, control: str, banner: str
) -> None:
    text = f"{banner}\n\n1. (U) OKAPI1 open.\n\n2. {mark} ZEBRA2 controlled.\n\n{CB}\n"
    text += "Declassify On: 20360825\n"
    doc = parsed(text)
    portion = holding(doc, text, "ZEBRA2")
    assert portion.marking is not None and portion.marking.level == "U"
    assert control in portion.marking.controls
    assert decisions(text)["ZEBRA2"] == "review"
    assert released(text) == {"OKAPI1"}


# -- 7. a declassified document still reviews what is above its banner or controlled ------

NUMBERINGS = ["6.1 ", "6.1.2. ", "(6.2) ", "6.a ", "6-3 ", "VI. ", "§ 7 ", "7) ", "- ", ""]


@pytest.mark.parametrize("numbering", NUMBERINGS, ids=[n.strip() or "none" for n in NUMBERINGS])
@pytest.mark.parametrize(
    "mark", ["(TS//SI//NF)", "(TS)", "(FOUO)", "(U//FOUO)", "(SBU)"], ids=str.strip
)
def test_a_declassified_memo_reviews_what_its_date_cannot_release(
    numbering: str, mark: str
) -> None:
    """The SECRET memo's own date has passed; a TOP SECRET or controlled portion has not."""
    text = (
        "SECRET//NOFORN\n\nSUBJECT: (U) OKAPI0 talks\n\n"
        f"6. (S//NF) OKAPI1 secret words, declassified now.\n{numbering}{mark} ZEBRA2 words.\n"
        f"7. (S) OKAPI3 more.\n\n{CB}\nDeclassify On: 20100101\n"
    )
    doc = parsed(text)
    portion = holding(doc, text, "ZEBRA2")
    assert portion.start == text.index(f"{numbering}{mark}")
    assert portion.marking is not None and portion.marking.raw == mark
    if numbering.strip(" .") in ("6.1", "6.1.2", "6-3"):
        assert portion.label == numbering.strip(" .")
    assert decisions(text)["ZEBRA2"] == "review"
    assert released(text) == {"OKAPI0", "OKAPI1", "OKAPI3"}


# -- 8. a year near 9999 is a problem for review, never a traceback -----------------------

FAR_INSTRUCTIONS = [
    "E.O. 12958: DECL: 12/31/9999",
    "Declassify On: 9999-12-31",
    "Declassify On: 99991231",
    "Declassify On: 25X1, 9999-12-31",
    "Declassify On: 50X1-HUM, 9999-12-31",
    "Declassify On: Source marked OADR, date of source: 12/31/9999",
    "E.O. 12958: DECL: 01/01/0001",
]
FAR_ORIGINS = [
    "",
    "MEMORANDUM FOR THE RECORD\nDATE: December 31, 9999\n",
    "Friday, 31 December 9999\n",
]


def far_memo(origin: str, instruction: str) -> str:
    return (
        f"SECRET\n\n{origin}\nSUBJECT: (U) OKAPI0 talks\n\n1. (S) ZEBRA1 secret words.\n\n"
        f"{CB}\n{instruction}\n"
    )


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(9999, 12, 31), dt.date(1, 1, 1)], ids=str)
@pytest.mark.parametrize("instruction", FAR_INSTRUCTIONS)
@pytest.mark.parametrize("origin", FAR_ORIGINS, ids=["no-origin", "memo-date", "weekday-date"])
def test_a_far_date_goes_to_review(origin: str, instruction: str, as_of: dt.date) -> None:
    text = far_memo(origin, instruction)
    doc = parsed(text)
    # Read as implausible (a calendar date outside 1900-2200) or as no date at all (a year
    # too late for declassification arithmetic): either way nothing is computed from it.
    decl = doc.declassification
    assert decl is not None and (decl.kind == "invalid" or decl.date is None)
    assert decisions(text, as_of)["ZEBRA1"] == "review"
    assert released(text, as_of) <= {"OKAPI0"}


@pytest.mark.parametrize("instruction", ["Declassify On: 25X1", "E.O. 12958: DECL: OADR", ""])
def test_a_far_origin_is_read_as_no_origin(instruction: str) -> None:
    """25X1 runs 50 years from origin: from year 9999 that overflowed the calendar."""
    text = far_memo("Friday, 31 December 9999\n", instruction)
    doc = parsed(text)
    assert doc.origin_date is None
    assert decisions(text)["ZEBRA1"] in ("withhold", "review")
    assert "ZEBRA1" not in released(text)


def test_years_past_the_calendar_are_refused_for_review() -> None:
    """Arithmetic past the calendar raises, and the evaluation turns that into review."""
    with pytest.raises(DateOutOfRange):
        add_years(dt.date(9999, 12, 31), 25)
    with pytest.raises(DateOutOfRange):
        add_years(dt.date(9976, 2, 29), 25)
    assert add_years(dt.date(2000, 2, 29), 1) == dt.date(2001, 3, 1)
    with pytest.raises(DateOutOfRange):
        end_of_year(9999 + 30)


# -- 4. all-capitals telegrams: TO, INFO, ORIGIN, CLEARED, FOR begin body sentences --------

TELEGRAM = """P 251716Z AUG 76
FM AMEMBASSY TEHRAN
TO SECSTATE WASHDC PRIORITY 1234
INFO AMEMBASSY LONDON

C O N F I D E N T I A L SECTION 01 OF 02 TEHRAN 4789

E.O. 11652: XGDS-1
TAGS: PFOR IR
SUBJECT: SHAH AND THE OIL PRICE

SUMMARY: THE SHAH TOLD THE AMBASSADOR ZEBRA1 THAT PRICES WOULD RISE.
{line}
END SUMMARY.

C O N F I D E N T I A L SECTION 02 OF 02 TEHRAN 4789

{line2}
2. THE EMBASSY WILL REPORT FURTHER.
HELMS
"""
BODY_LINES = [
    "TO THE SHAH THE ISSUE ZEBRA2 IS ONE OF NATIONAL PRIDE",
    "INFO FROM THE COURT ZEBRA2 SUGGESTS A DECISION IN MAY",
    "ORIGIN OF THE PROPOSAL ZEBRA2 IS THE COURT",
    "CLEARED BY THE SHAH ZEBRA2 PERSONALLY",
    "FOR THE RECORD ZEBRA2 THE MINISTER DISAGREED",
    "FM RADIO ZEBRA2 REPORTED THE SAME",
]


@pytest.mark.parametrize("line", BODY_LINES, ids=[line.split()[0] for line in BODY_LINES])
@pytest.mark.parametrize("where", ["first-section", "after-section-banner"])
def test_a_telegram_sentence_is_body_after_the_routing_block(line: str, where: str) -> None:
    first, second = (line, "") if where == "first-section" else ("", line)
    text = TELEGRAM.format(line=first, line2=second)
    doc = parsed(text)
    assert holding(doc, text, "TO SECSTATE").kind == "routing"
    assert holding(doc, text, "ZEBRA2").kind == "paragraph"
    assert released(text, dt.date(1990, 1, 1)) == set()
