"""Banner lines of cables and memos, and the page lines that repeat them.

A cable's classification line is ``<LEVEL> [SECTION nn OF mm] <ORIGIN>
<serial>`` with the level letter-spaced (``C O N F I D E N T I A L``) and
often damaged in the corpus (``SS E C R E T``, ``E C R E T``, ``CSE C R E T``,
``C ONFIDENTIAL``). Memos use CAPCO banners (``SECRET//NOFORN``). Continuation
pages repeat a page line (``BERN 00000881  002 OF 002``, ``PAGE 02 STATE
296107``) or a bare ``CONFIDENTIAL``.

Only whole lines are recognised: a banner-like prefix followed by prose is
prose, so that a banner line can never carry withheld text out with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from declass.rules.markings import LEVEL_WORDS, parse_banner_marking, parse_portion
from declass.rules.model import Level, Marking

_SPACED_WORDS: dict[str, Level] = {"TOPSECRET": "TS", "SECRET": "S", "CONFIDENTIAL": "C"}
_SPACED = re.compile(r"^\s*((?:[A-Za-z]{1,3} ){3,}[A-Za-z])(?= |$)")
_SPLIT_FIRST = re.compile(r"^\s*([A-Za-z]) ([A-Za-z]{5,11})(?= |$)")
_WORD = re.compile(
    r"^\s*U?(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE|CUI)(?= |$|/)"
)
#: Lower-case renderings exist only of the unclassified line (``unclas state 012345``).
_LOWER_UNCLAS = re.compile(r"^\s*(unclas|unclassified)(?= [a-z][a-z .'-]{1,30} \d{3,8}\s*$)")
#: What may follow a cable banner on the same line when line breaks were lost.
_HEADER_REST = re.compile(
    r"^\s+(?:SIPDIS|NOFORN|E\.?\s?O\.?\s?\d{5}|EO\s+\d{5}|TAGS?\b|SUBJECT\s*:)"
)
_EFTO = re.compile(r"^\s+(E ?F ?T ?O)(?= |$)", re.IGNORECASE)
_SECTION = re.compile(r"^\s+SECTION\s+(\d{1,2})\s+OF\s+(\d{1,2})(?= |$)", re.IGNORECASE)
_ORIGIN_SERIAL = re.compile(r"^\s+([A-Za-z][A-Za-z .'-]{1,30}?)\s+(\d{3,8})(?= |$)")
_TRANSMISSION_TAG = re.compile(r"^\s+[A-Z]{3}\d{3,5}\s*$")
_PAGE_LINE = re.compile(
    r"^\s*PAGE\s+\d{2,3}(?:\s+[A-Z][A-Z .]{1,30}?\s+\d{3,8}(?:\s+\d{2}\s+OF\s+\d{2})?"
    r"(?:\s+\d{6}Z)?)?\s*$"
)
_CONTINUATION = re.compile(r"^\s*[A-Z][A-Z .'-]{1,30}?\s+\d{5,8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\s*$")
#: Either page line in one match.
_PAGE_NUMBER = re.compile(f"(?:{_PAGE_LINE.pattern})|(?:{_CONTINUATION.pattern})")


#: The labels e-mail and document tools put before a classification line.
_LABEL = re.compile(r"^\s*(?:CLASSIFICATION|CLASSIFIED|CLASS)\s*:\s*", re.IGNORECASE)
_LOOSE_LEVEL = re.compile(
    r"^(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE"
    r"|CONTROLLED UNCLASSIFIED INFORMATION|CUI)(?=$|[\s/-])"
)
_LOOSE_START = re.compile(
    r"\s*(?:(?:CLASSIFICATION|CLASSIFIED|CLASS)\s*:\s*)?"
    r"(?:TOP|SECRET|CONFIDENTIAL|UNCLAS|LIMITED|CONTROLLED|CUI)",
    re.IGNORECASE,
)
_LOOSE_NAMES = {"UNCLAS": "UNCLASSIFIED", "CONTROLLED UNCLASSIFIED INFORMATION": "CUI"}
_SLASH = re.compile(r"\s*/\s*")
_SLASHES = re.compile(r"\s*//\s*")
#: CUI categories and limited dissemination controls: ``SP-PRVCY``, ``PRVCY``, ``NOFORN``.
_CUI_WORD = re.compile(r"^(?:CUI|SP-[A-Z]{2,10}|[A-Z]{2,10}(?:-[A-Z]{2,10})?|REL TO)$")
#: Without ``//`` only unmistakable words follow CUI (``CUI REPORT`` is a title).
_CUI_SPACED_WORD = re.compile(r"^(?:CUI|SP-[A-Z]{2,10}|NOFORN|FEDCON|FEDONLY|NOCON|DL ONLY)$")


#: What every banner :func:`_level_prefix` or :func:`_loose_banner` reads starts with
#: (the CAPCO banner needs ``//``): the patterns themselves, joined.
_MAYBE_BANNER = re.compile(
    "|".join(f"(?:{pattern.pattern})" for pattern in (_SPACED, _SPLIT_FIRST, _WORD, _LOWER_UNCLAS))
    + f"|(?i:{_LOOSE_START.pattern})"
)


@dataclass(frozen=True)
class BannerLine:
    """A recognised banner line: its marking and where its text ends."""

    marking: Marking
    end: int
    section: tuple[int, int] | None = None
    origin: str | None = None
    serial: str | None = None
    letter_spaced: bool = False


def parse_banner_line(line: str) -> BannerLine | None:
    """Recognise a banner at the start of ``line``.

    ``end`` is the offset in ``line`` where the banner stops; the caller
    decides what the rest of the line is (a collapsed header, or nothing).
    """
    if not could_be_banner(line):
        return None  # most lines: one C-level test instead of the chain below
    return _parse_banner_line(line)


def could_be_banner(line: str) -> bool:
    """False only for a line :func:`parse_banner_line` cannot read as a banner.

    Every banner starts with a match of one of the level patterns, or holds
    ``//`` (CAPCO), or starts as a loose marking does: :data:`_MAYBE_BANNER` is
    those patterns in one alternation, so a line none of them match is no banner.
    """
    return "//" in line or _MAYBE_BANNER.match(line) is not None


def _parse_banner_line(line: str) -> BannerLine | None:
    """:func:`parse_banner_line` without the pre-check (tests compare the two)."""
    found = _cable_banner(line)
    if found is None and len(line) <= 160 and _LOOSE_START.match(line):
        found = _loose_banner(line)
    return found


def _cable_banner(line: str) -> BannerLine | None:
    found = _level_prefix(line)
    if found is None:
        return _capco_banner(line)
    level, pos, problems, spaced, extra = found
    raw = line[:pos].strip()
    section = origin = serial = None
    efto = _EFTO.match(line[pos:])
    if efto:
        extra = [*extra, "EFTO"]
        pos += efto.end()
        raw = line[:pos].strip()
    sec = _SECTION.match(line[pos:])
    if sec:
        section = (int(sec.group(1)), int(sec.group(2)))
        pos += sec.end()
    ident = _ORIGIN_SERIAL.match(line[pos:])
    if ident:
        origin, serial = " ".join(ident.group(1).upper().split()), ident.group(2)
        pos += ident.end()
    rest = line[pos:]
    bare = not (section or origin)
    if bare and rest.strip() and not _TRANSMISSION_TAG.match(rest):
        return None
    if not spaced and rest.strip() and not _HEADER_REST.match(rest):
        return None  # "SECRET POLICE ARRESTED 200 PROTESTERS" is prose, not a banner
    lower_origin = ident is not None and ident.group(1) != ident.group(1).upper()
    if not spaced and lower_origin and not _LOWER_UNCLAS.match(line):
        return None
    if bare and _TRANSMISSION_TAG.match(rest):
        pos = len(line)
    marking = Marking(
        raw=raw,
        level=level,
        controls=extra,
        valid=not problems,
        problems=problems,
        normalized=_level_title(level, extra),
    )
    return BannerLine(marking, pos, section, origin, serial, spaced)


def is_page_number_line(line: str) -> bool:
    """``PAGE 02 STATE 296107`` or ``BERN 00000881  002 OF 002``."""
    return _PAGE_NUMBER.match(line) is not None


def is_page_line(line: str) -> bool:
    """A continuation page line or a bare classification line (page header)."""
    if is_page_number_line(line):
        return True
    banner = parse_banner_line(line)
    return banner is not None and banner.origin is None and not line[banner.end :].strip()


def _level_prefix(line: str) -> tuple[Level, int, list[str], bool, list[str]] | None:
    spaced = _SPACED.match(line)
    if spaced:
        word = spaced.group(1).replace(" ", "").upper()
        found = _repair_spaced(word)
        if found:
            level, repairs = found
            if spaced.group(1) != spaced.group(1).upper():
                repairs = [*repairs, "banner_not_upper_case"]
            return level, spaced.end(), repairs, True, []
    split = _SPLIT_FIRST.match(line)
    if split:
        word = (split.group(1) + split.group(2)).upper()
        if word in _SPACED_WORDS:
            return _SPACED_WORDS[word], split.end(), ["damaged_banner_spacing"], True, []
    plain = _WORD.match(line) or _LOWER_UNCLAS.match(line)
    if plain:
        word = " ".join(plain.group(1).upper().split())
        problems: list[str] = []
        if plain.group(0).lstrip()[:2].upper() == "UU":
            problems.append("damaged_banner_doubled_letter")
        if plain.group(1) != plain.group(1).upper():
            problems.append("banner_not_upper_case")
        if line[plain.end() :].startswith("/"):
            return None
        if word in ("LIMITED OFFICIAL USE", "CUI"):
            return "U", plain.end(), problems, False, ["LOU" if word != "CUI" else "CUI"]
        return LEVEL_WORDS[word], plain.end(), problems, False, []
    return None


def _repair_spaced(word: str) -> tuple[Level, list[str]] | None:
    """Undo the damage seen on letter-spaced banners; None if not a level."""
    if word in _SPACED_WORDS:
        return _SPACED_WORDS[word], []
    for target, level in _SPACED_WORDS.items():
        if len(word) == len(target) + 1 and word[1:] == target:
            code = "doubled_letter" if word[0] == word[1] else "stray_letter"
            return level, [f"damaged_banner_{code}"]
        if len(word) == len(target) - 1 and target[1:] == word:
            return level, ["damaged_banner_missing_letter"]
    return None


def _capco_banner(line: str) -> BannerLine | None:
    text = line.strip()
    if "//" not in text or len(text) > 120:
        return None
    marking = parse_banner_marking(text)
    if marking is None or "unknown_token" in marking.problems:
        return None
    return BannerLine(marking, len(line.rstrip()))


def _loose_banner(line: str) -> BannerLine | None:
    """A line that holds only a marking, however it is spelled: ``SECRET/NOFORN``,
    ``SECRET NOFORN``, ``Secret//Noforn``, ``Classification: SECRET`` (e-mail
    labels), ``CUI//SP-PRVCY``. Every word after the level must be a known
    control, so that ``SECRET POLICE`` stays prose; a lone level word counts
    only in capitals or after a label (``Confidential`` may be a heading)."""
    label = _LABEL.match(line)
    body = " ".join(line[label.end() if label else 0 :].split()).rstrip(" .")
    if not body or len(body) > 120:
        return None
    upper = body.upper()
    level = _LOOSE_LEVEL.match(upper)
    if level is None:
        return None
    head, rest = _LOOSE_NAMES.get(level.group(1), level.group(1)), upper[level.end() :]
    if not rest.strip(" /-") and body != upper and label is None:
        return None
    marking = _loose_marking(head, rest.strip(" /-"))
    if marking is None:
        return None
    problems = [p for p in marking.problems if p != "banner_not_upper_case"]
    if body != upper:
        problems.append("banner_not_upper_case")
    if "//" not in upper and rest.strip(" /-"):
        problems.append("nonstandard_separator")
    marking = marking.model_copy(
        update={"raw": line.strip(), "problems": problems, "valid": not problems}
    )
    return BannerLine(marking, len(line.rstrip()))


def _loose_marking(head: str, rest: str) -> Marking | None:
    """The marking of ``head`` (a level word) and ``rest``, tried as CAPCO would write it."""
    if "//" in rest:
        candidates = [f"{head}//{' '.join(rest.split())}"]
    elif "/" in rest:
        candidates = [f"{head}//{_SLASH.sub('/', rest)}"]
    elif rest:
        candidates = [f"{head}//{rest}", f"{head}//{'/'.join(rest.split())}"]
    else:
        candidates = [head]
    for text in candidates:
        text = _SLASHES.sub("//", text)
        if head == "CUI":
            marking = parse_portion(f"({text})", paragraph_position=False)
            word = _CUI_WORD if "//" in rest else _CUI_SPACED_WORD
            if marking is not None and all(word.match(c) for c in marking.controls):
                return marking
            continue
        marking = parse_banner_marking(text)
        if marking is not None and "unknown_token" not in marking.problems:
            return marking
    return None


def _level_title(level: Level, extra: list[str]) -> str:
    names = {
        "TS": "TOP SECRET",
        "S": "SECRET",
        "C": "CONFIDENTIAL",
        "U": "UNCLASSIFIED",
        "R": "RESTRICTED",
    }
    return "//".join([names[level], *extra])
