"""Recognisers for single lines of a cable or memo.

Each function answers one question about one line, strictly: header lines
that a policy may release as structure (routing, captions, tags) must match
their whole line, so that prose can never be mistaken for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from declass.rules.markings import parse_portion
from declass.rules.model import Marking
from declass.rules.vocabulary import CAPTIONS

# -- transmission header (ACP-127 format lines, office headers, memo headers)
_ROUTING = re.compile(
    r"""^\s*(?:
        VZCZC\w*                                   # start of transmission
      | [OPRZY]{2}\s+R[A-Z]{3,7}(?:\s+R[A-Z]{3,7})*  # precedence + routing indicators
      | DE\s+R[A-Z]{3,7}\s+\#\s?\d{3,5}(?:/\d{2})?(?:\s+\d{7})?  # originator line
      | ZN[YR]\s+[A-Z]{5}(?:/[A-Z]{5})?(?:\s+ZZH)?   # security warning
      | (?:[OPRZY0]{1,2}\s+){1,2}\d{6}Z\s+[A-Z]{3}\s+\d{2}  # precedence + date-time group
      | \d{6}Z\s+[A-Z][a-z]{2}\s+\d{2}             # bare DTG (web renderings)
      | FM\s+[A-Z][A-Z0-9 /.,&'()-]{2,60}          # originator
      | BT | NNNN
      | ACTION\s+[A-Z]{1,5}-\d{2}
      | INFO\s+[A-Z]{1,5}-\d{2}.*
      | (?:[A-Z]{1,5}-\d{2}\s+)+(?:/\d{3}\s?W)?
      | -{6,}[A-Z0-9]{6}\s+\d{6}Z\s+/\d{2}
      | (?:ORIGIN|DRAFTED\s+BY|APPROVED\s+BY|CLEARED)\s*:?\s+[A-Z0-9][A-Z0-9 /:.,&'-]{0,60}
      | [A-Z][A-Z/-]{0,12}:[A-Z][A-Z.]{2,}(?:\s+[A-Z][A-Z/-]{0,12}:[A-Z][A-Z.]{2,})*  # clearances
      | MEMORANDUM\s+FOR\b.{0,80}
      | (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}
        (?:,\s+\d{2}:\d{2})?
      | This\ record\ is\ a\ partial\ extract\ of\ the\ original\ cable\.
        \ The\ full\ text\ of\ the\ original\ cable\ is\ not\ available\.
    )\s*$""",
    re.VERBOSE,
)
#: Routing lines that begin with a word prose may begin with, or that look like prose.
_WORDED_ROUTING = re.compile(
    r"^\s*(?:FM|ORIGIN|DRAFTED|APPROVED|CLEARED|MEMORANDUM|[A-Z][A-Za-z/-]{0,12}:"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|This\ record)\b"
)
#: Addressee and memo lines: routing only inside a transmission or memo header
#: that a line of ``_ROUTING`` has opened, since prose can start with ``TO`` too.
_ADDRESS = re.compile(
    r"""^\s*(?:
        (?:TO|INFO|XMT|CC|BCC)\s+[A-Z0-9][A-Z0-9 /.,&'()-]{1,70}  # addressees
      | R[A-Z]{3,7}/[A-Z0-9][A-Z0-9 /.,&'()-]{1,70}     # routing indicator + PLAD
      | (?:FROM|TO|THROUGH|THRU|DATE)\s*:.{0,80}
    )\s*$""",
    re.VERBOSE,
)
_ADDRESSEE = re.compile(r"^\s*[A-Z][A-Z0-9 /.,&'()-]{2,70}$")
_ZNY = re.compile(r"^\s*ZN[YR]\s+([A-Z])\1{4}")

# -- captions and attention lines after the banner
_ATTENTION = re.compile(
    r"^\s*(?:(?:[A-Z][A-Z/.&-]*\s+){1,2}(?:PASS\s+TO|FOR)\s+[A-Z0-9][A-Z0-9/ ,.&'()-]*"
    r"|PASS\s+TO\s+[A-Z0-9][A-Z0-9/ ,.&'()-]*|WEBGRAM\s+EXCLUDED\s+ONLY|INFORM\s+CONSULS"
    r"|FOR\s+[A-Z][A-Z0-9/ ,.&'()-]*)(?<!\.)\s*$"
)
_CAPTION_WORDS = sorted(CAPTIONS, key=len, reverse=True)

_EO = re.compile(r"^\s*¶?\s*(?:E\.?\s?O\.?|EO)\s*\d{5}\b", re.IGNORECASE)
_DECLASSIFY_ON = re.compile(r"^\s*(?:DECLASSIFY\s+ON|DECL(?:ASSIFY)?\s*:)", re.IGNORECASE)
_INSTRUCTION = re.compile(f"(?:{_EO.pattern})|(?:{_DECLASSIFY_ON.pattern})", re.IGNORECASE)
_TAGS = re.compile(r"^\s*(?:TAGS?|TAS|AGS)\b\s*:?\s*", re.IGNORECASE)
_TAG_TOKENS = re.compile(r"^(?:[A-Za-z]{2,6}\b[\s,;]*|\([^()]{1,60}\)[\s,;]*)*$")
_SUBJECT = re.compile(r"^\s*(?:SUBJECT|SUBJ)\s*:\s*", re.IGNORECASE)
_REF = re.compile(r"^\s*(?:REFS?|REFTEL|REFERENCES?)\b\s*:?\s*", re.IGNORECASE)
_REF_ITEM = re.compile(r"^\s*¶?\s*(?:[A-Z]\s?[.)]|\([A-Z]\))\s+\S")
_CLASSIFIED_BY = re.compile(
    r"^\s*(?:\(\s*U\s*\)\s*)?(?:\d{1,2}\.\s*(?:\(\s*U\s*\)\s*)?)?C\s?L\s?A\s?S\s?S\s?I\s?F\s?I\s?E\s?D"
    r"\s+B\s?Y\b",
    re.IGNORECASE,
)
#: The letters part of a reasons phrase: ``1.4 (b) and (d).``, ``(B/D)``, ``b, c, and d``.
_LETTERS = r"[\s()\[\]a-hA-H,/&.;:-]*(?:(?:and|AND|And|or|OR|a\s?nd)[\s()a-hA-H,/&.;:-]*)*"
#: The section number of a reasons phrase: ``1.4``, ``E.O. 12958, 1.5``.
REASON_SECTION = r"(?:E\.?\s?O\.?\s*\d{5},?\s*)?(?:SECTION\s+)?1\s*[./:]?\s*[45]"
_REASON_FRAGMENT = re.compile(
    rf"^\s*(?:[a-z]{{1,6}}\s+)?(?:{REASON_SECTION}|\d\s*[./:]?)?\s*{_LETTERS}$", re.IGNORECASE
)
_HAS_REASON = re.compile(r"\(\s*[a-h]\s*[),/&]|\b[a-h]\b|1\s*[./:]?\s*[45]", re.IGNORECASE)
_REASON_LINE = re.compile(
    rf"^\s*(?:REASONS?(?:\(S\))?\s*:\s*{REASON_SECTION}\s*{_LETTERS}|DERIVED\s+FROM\s*:.{{0,60}})$",
    re.IGNORECASE,
)
_ENDS_WITH_REASONS = re.compile(
    rf"^.{{0,80}}?\br\s?e\s?a\s?s\s?o\s?n(?:\s?s|\(s\))?\s*:?\s*{REASON_SECTION}\s*{_LETTERS}$",
    re.IGNORECASE,
)

# -- body structure
_NUMBERED = re.compile(r"^(\s*¶?\s*)(\d{1,3})\s*\.(?!\d)\s*")
_LETTERED = re.compile(r"^(\s*¶?\s*)(?:([A-Z])\.|([A-Z])\)(?=\s*\()|\(([a-z])\)|([a-z])[.)])\s+")
_SUBNUMBER = re.compile(r"^(\s*)(\d{1,2})\)\s+")
_BULLET = re.compile(r"^(\s*)(?:-{2,3}(?:\s+|(?=[(A-Za-z]))|[-*•](?:\s+|(?=\())|o\s+)")
#: Numbering and list leads of memos, reports and e-mail: a portion only when a mark follows.
_OTHER_LEAD = re.compile(
    r"""^\s*(?:
        (?P<outline>\d{1,3}(?:[.-](?:\d{1,3}|[A-Z]))+)\.?       # 1.2, 6.1.3, 6.a, 6-3
      | \((?P<paren_outline>\d{1,3}(?:\.\d{1,3})+)\)            # (6.2)
      | §\s*(?P<section>\d{1,3}(?:\.\d{1,3})*)\.?               # § 7
      | PARA(?:GRAPH)?\.?\s*(?P<para>\d{1,3})\s*[.:–-]?         # Para 3.
      | ¶?\s*(?P<bare>\d{1,3})(?=\s*\()                          # 6 (C): the dot lost
      | \((?P<paren>\d{1,3})\)                                    # (1)
      | (?P<roman>[ivx]{2,5}|[IVX]{1,5})[.)]                      # ii.  IV)
      | \((?P<paren_letter>[A-Z]{1,4})\)                           # (A), (iv)
      | (?P<number_letter>\d{1,3}[A-Z])[.)]                       # 1a.
      | [QA]\s*: | \d{1,2}/ | \[\d{1,3}\] | [⁰¹²³⁴⁵⁶⁷⁸⁹]+          # Q:, 1/, [2], ²
      | [^\w\s(]{1,4}                                             # bullets: *** ▪ – -> ¶
      | (?P<label>(?!SUBJ|REF|TAGS?\b|CLASSIFIED|DECL|REASON|DERIVED|FROM|TO\b|CC\b|DATE|SENT
            |ORIGIN|CLEARED|DRAFTED|APPROVED)(?-i:[A-Z])[A-Z]{0,15}(?:\ [A-Z]{1,10})?\s*\d{0,3})
        \s*:                                                      # Note:, Item 3:
    )\s*""",
    re.VERBOSE | re.IGNORECASE,
)
#: E-mail quotes and table cells before a portion: ``> (S//NF) ...``, ``| (S) ... |``.
_QUOTE = re.compile(r"^\s*(?:[>|]\s*)+")
_MARK_CANDIDATE = re.compile(
    r"\(\s*[A-Za-z][^()\n]{0,45}?\)|[A-Z]{1,2}(?:/[A-Z]{1,3})?\)(?=\s)"
    r"|(?:TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|TS|S|C|U)\s*-\s*ENTIRE\s+TEXT\.?",
)
#: Every lead :func:`_read_lead` finds without a ``(`` in the first 48 characters
#: starts with a match of one of these (``_other_lead`` needs that parenthesis).
_LEAD_START = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_NUMBERED, _LETTERED, _SUBNUMBER, _BULLET))
    + rf"|\s*(?:{_MARK_CANDIDATE.pattern})"
)
_LEAD_IN = re.compile(
    r"(?:SUMMARY|COMMENT|BACKGROUND|INTRODUCTION|OVERVIEW|ACTION\s+REQUEST|NOTE)\s*:\s*",
    re.IGNORECASE,
)
_DASH_RULE = re.compile(r"^\s*-{3,}[-\s]*$")
_DASH_HEADING = re.compile(r"^\s*-{3,}\s*[A-Za-z][^\n]{0,60}?\s*-{3,}\s*$")
_TRAILER = re.compile(
    r"^\s*(?:NNNN|End Cable Text|BT|\d{4}[A-Z]{3,}\d{3,}\s+-\s+[A-Z /]+|>)\s*$", re.IGNORECASE
)
_SIGNATURE = re.compile(r"^\s*[A-Z][A-Za-z.'-]{1,20}(?:\s+[A-Z][A-Za-z.'-]{0,20}){0,2}\s*$")


@dataclass(frozen=True)
class Lead:
    """The start of a portion: its label, its marking and where its body begins."""

    kind: str  # "number", "outline" (1.2), "letter", "subnumber", "bullet", "mark", "label"
    label: str | None
    marking: Marking | None
    body: int  # offset in the line where the body text begins


def is_routing(line: str) -> bool:
    """A transmission or office header line that can open a routing block by itself."""
    return bool(_ROUTING.match(line))


def is_machine_routing(line: str) -> bool:
    """A routing line no prose can look like (``VZCZC``, ``DE RUEH...``, a DTG line).

    ``FM``, ``ORIGIN``, ``CLEARED``, ``TO`` and ``INFO`` lines also begin
    sentences of the all-capitals telegrams of the 1970s and 80s, so once the
    routing block has ended only these lines are routing.
    """
    return is_routing(line) and not _WORDED_ROUTING.match(line)


def is_address(line: str) -> bool:
    """An addressee, routing-indicator or memo ``FROM:`` line (needs an open routing block)."""
    return bool(_ADDRESS.match(line))


def is_addressee(line: str) -> bool:
    """A plain-language addressee line inside the routing block."""
    return bool(_ADDRESSEE.match(line)) and not line.strip().endswith(".")


def routing_level(line: str) -> str | None:
    """The classification letter of an FL4 security line (``ZNY CCCCC``)."""
    match = _ZNY.match(line)
    if not match:
        return None
    return {"C": "C", "S": "S", "T": "TS", "U": "U", "E": "U"}.get(match.group(1))


def caption_words(line: str) -> list[str] | None:
    """The captions on a caption line (``NOFORN, SIPDIS``); None if it is not one."""
    text = line.strip().upper().rstrip(".")
    if not text:
        return None
    found: list[str] = []
    rest = text
    while rest:
        for word in _CAPTION_WORDS:
            if rest.startswith(word) and (len(rest) == len(word) or not rest[len(word)].isalnum()):
                if CAPTIONS[word]:
                    found.append(CAPTIONS[word])
                rest = rest[len(word) :].lstrip(" ,;/")
                break
        else:
            if found and _ATTENTION.match(rest):
                return found
            return None
    return found


def is_attention(line: str, *, bare_for: bool = True) -> bool:
    """Routing text after the banner: ``NSC FOR SENIOR AFRICA DIRECTOR``; a bare
    ``FOR ...`` line only where the caller allows it (not after a section banner,
    where a body sentence may begin ``FOR THE RECORD``)."""
    text = line.strip()
    if not bare_for and text.startswith("FOR"):
        return False
    return len(text) <= 100 and text == text.upper() and bool(_ATTENTION.match(line))


def is_declassification(line: str) -> bool:
    return _INSTRUCTION.match(line) is not None


def tags_start(line: str) -> int | None:
    """Offset where tag values begin, if this is a TAGS line."""
    match = _TAGS.match(line)
    return match.end() if match else None


def are_tags(values: str) -> bool:
    return bool(_TAG_TOKENS.match(values.strip()))


def subject_start(line: str) -> int | None:
    match = _SUBJECT.match(line)
    return match.end() if match else None


def ref_start(line: str) -> int | None:
    match = _REF.match(line)
    if not match or (match.end() == len(line.rstrip()) and ":" not in line):
        return None
    return match.end()


def is_ref_item(line: str) -> bool:
    """``B. EMBASSY PARIS 1234``, ``C) CASABLANCA 270``, ``(D) 04 STATE 061816`` — but not
    a lettered item that carries a real marking (``A. (S/NF) ...``)."""
    if not _REF_ITEM.match(line):
        return False
    lead = read_lead(line)
    mark = lead.marking if lead is not None else None
    # no marking, or a list letter such as "(C)" after "C."
    return mark is None or len(mark.raw.strip("() ")) == 1


def is_classified_by(line: str) -> bool:
    return bool(_CLASSIFIED_BY.match(line))


def is_reason_fragment(line: str) -> bool:
    """A wrapped piece of a reasons phrase (``(d).``, ``4 (B) and (D).``, ``asons 1.4 b``):
    nothing in it but section numbers, reason letters and joining words."""
    text = line.strip()
    return len(text) <= 60 and bool(_REASON_FRAGMENT.match(text) and _HAS_REASON.search(text))


def opens_with_office_symbol(line: str) -> bool:
    """``(S/P)``, ``(S/CT)``: a State office, read as a marking with an unknown token."""
    lead = read_lead(line)
    mark = lead.marking if lead is not None else None
    return mark is not None and "unknown_token" in mark.problems


def ends_with_reasons(line: str) -> bool:
    """A wrapped name line that ends the block: ``Marc Wall for Reasons 1.4 (b) and (d)``."""
    return bool(_ENDS_WITH_REASONS.match(line.strip()))


def is_reason_line(line: str) -> bool:
    """``Reason: 1.4(c)`` or ``Derived From: ...`` inside an authority block."""
    return bool(_REASON_LINE.match(line))


def is_declassify_on(line: str) -> bool:
    """A memo's ``Declassify On:`` line (no E.O. prefix)."""
    return bool(_DECLASSIFY_ON.match(line)) and not _EO.match(line)


def is_dash_rule(line: str) -> bool:
    return bool(_DASH_RULE.match(line) or _DASH_HEADING.match(line))


def is_trailer(line: str) -> bool:
    return bool(_TRAILER.match(line))


def is_signature(line: str) -> bool:
    text = line.strip()
    return bool(_SIGNATURE.match(line)) and len(text) <= 32 and not text.endswith(".")


def read_lead(line: str) -> Lead | None:
    """Recognise a portion start: ``¶1. (C)``, ``A. (S/NF)``, ``-- (C)``, ``(S//NF)``."""
    if line.find("(", 0, 48) < 0 and _LEAD_START.match(line) is None:
        return None  # no lead pattern starts the line and no marking is near its start
    return _read_lead(line)


def _read_lead(line: str) -> Lead | None:
    """:func:`read_lead` without the pre-check (tests compare the two)."""
    number = _NUMBERED.match(line)
    if number:
        lead = _with_marking(line, "number", number.group(2), number.end(), lead_in=True)
        if lead.marking is None:  # "6.a (TS)": an outline number that starts like "6."
            return _other_lead(line) or lead
        return lead
    letter = _LETTERED.match(line)
    if letter:
        label = letter.group(2) or letter.group(3) or letter.group(4) or letter.group(5)
        return _with_marking(line, "letter", label, letter.end(), lead_in=False)
    sub = _SUBNUMBER.match(line)
    if sub:
        return _with_marking(line, "subnumber", sub.group(2), sub.end(), lead_in=False)
    bullet = _BULLET.match(line)
    if bullet:
        return _with_marking(line, "bullet", None, bullet.end(), lead_in=False)
    stripped = len(line) - len(line.lstrip())
    if _MARK_CANDIDATE.match(line, stripped):
        lead = _with_marking(line, "mark", None, stripped, lead_in=False)
        if lead.marking is not None:
            return lead
    return _other_lead(line)


def _other_lead(line: str) -> Lead | None:
    """A marking after any other list lead, quote or table bar (``1.2 (S)``, ``> (C)``)."""
    if line.find("(", 0, 48) < 0:
        return None  # no marking near the start: most lines of a cable
    quote = _QUOTE.match(line)
    if quote:
        inner = read_lead(line[quote.end() :])
        if inner is None or inner.marking is None:
            return None
        return Lead(inner.kind, inner.label, inner.marking, quote.end() + inner.body)
    other = _OTHER_LEAD.match(line)
    if other is None or not _MARK_CANDIDATE.match(line, other.end()):
        return None  # plain prose: most lines of a cable
    if other.group("outline") and is_reason_fragment(line):
        return None  # "1.4 (C) and (D)": a wrapped reasons phrase, not paragraph 1.4
    kind, label = "mark", None
    for kind_of, group in _OTHER_KINDS:
        if other.group(group):
            kind, label = kind_of, other.group(group)
            break
    lead = _with_marking(line, kind, label, other.end(), lead_in=kind == "number")
    return lead if lead.marking is not None else None


_OTHER_KINDS = (
    ("outline", "outline"),
    ("outline", "paren_outline"),
    ("outline", "section"),
    ("number", "para"),
    ("number", "bare"),
    ("subnumber", "paren"),
    ("letter", "roman"),
    ("letter", "paren_letter"),
    ("letter", "number_letter"),
    ("label", "label"),
)


def _with_marking(line: str, kind: str, label: str | None, pos: int, *, lead_in: bool) -> Lead:
    start = pos
    if lead_in:
        intro = _LEAD_IN.match(line, pos)
        if intro and _MARK_CANDIDATE.match(line, intro.end()):
            start = intro.end()
    candidate = _MARK_CANDIDATE.match(line, start)
    if candidate:
        marking = parse_portion(candidate.group(0), paragraph_position=True)
        if marking is not None and _plausible(marking, candidate.group(0), kind):
            end = candidate.end()
            end += len(line[end:]) - len(line[end:].lstrip(" \t."))
            return Lead(kind, label, marking, end)
    return Lead(kind, label, None, pos)


def _plausible(marking: Marking, text: str, kind: str) -> bool:
    """Reject list labels: a bare lower-case ``(c)`` only counts after a number."""
    if text.startswith("(") and text[1:2].islower() and len(text) <= 4:
        return kind in ("number", "mark") and marking.level in ("C", "S", "U")
    return True
