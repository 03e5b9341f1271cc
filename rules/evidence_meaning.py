"""What a token of key 2 means: its level and controls, or nothing when it is prose.

Kept apart from the patterns that find tokens (:mod:`declass.rules.evidence`): these are
the judgements, each small enough to read on its own (a lettered list, an
office symbol ``S/GC``, an ALL-CAPS sentence that opens with a level word).
"""

from __future__ import annotations

import functools
import re

from declass.rules.model import Level

LEVEL_WORDS: dict[str, Level] = {
    "TOP SECRET": "TS",
    "TOPSECRET": "TS",
    "SECRET": "S",
    "CONFIDENTIAL": "C",
    "C0NFIDENTIAL": "C",
    "RESTRICTED": "R",
    "UNCLASSIFIED": "U",
    "UNCLAS": "U",
    "TS": "TS",
    "S": "S",
    "C": "C",
    "R": "R",
    "U": "U",
    "CTS": "TS",
    "NS": "S",
    "NC": "C",
    "NR": "R",
    "NU": "U",
    "COSMIC TOP SECRET": "TS",
    "NATO SECRET": "S",
    "NATO CONFIDENTIAL": "C",
    "NATO RESTRICTED": "R",
    "NATO UNCLASSIFIED": "U",
}

#: Controls on unclassified information and their long names (level U).
CONTROLLED: dict[str, str] = {
    "FOUO": "FOUO",
    "FOR OFFICIAL USE ONLY": "FOUO",
    "LOU": "LOU",
    "LIMITED OFFICIAL USE": "LOU",
    "SBU": "SBU",
    "SENSITIVE BUT UNCLASSIFIED": "SBU",
    "LES": "LES",
    "LAW ENFORCEMENT SENSITIVE": "LES",
    "SSI": "SSI",
    "SENSITIVE SECURITY INFORMATION": "SSI",
    "UCNI": "UCNI",
    "DCNI": "UCNI",
    "CUI": "CUI",
    "CONTROLLED UNCLASSIFIED INFORMATION": "CUI",
    "CONTROLLED": "CUI",
}

#: Dissemination controls and distribution captions that restrict a release.
RESTRICTING: dict[str, str] = {
    "NF": "NOFORN",
    "NOFORN": "NOFORN",
    "NOT RELEASABLE TO FOREIGN NATIONALS": "NOFORN",
    "OC": "ORCON",
    "ORCON": "ORCON",
    "ORCON-USGOV": "ORCON",
    "NOCONTRACT": "NOCONTRACT",
    "PR": "PROPIN",
    "PROPIN": "PROPIN",
    "IMC": "IMCON",
    "IMCON": "IMCON",
    "RELIDO": "RELIDO",
    "EXDIS": "EXDIS",
    "XD": "EXDIS",
    "NODIS": "NODIS",
    "ND": "NODIS",
    "LIMDIS": "LIMDIS",
    "STADIS": "STADIS",
    "RSEN": "RSEN",
    "RS": "RSEN",
    "SI": "SI",
    "TK": "TK",
    "HCS": "HCS",
    "RD": "RD",
    "FRD": "FRD",
    "SAR": "SAR",
    "EYES ONLY": "EYES ONLY",
}

#: Offices of the Secretary of State written ``S/XX`` (``(S/P) MEMO``, ``(S/GC)``).
_STATE_OFFICES = frozenset(
    {
        "P",
        "CT",
        "GC",
        "ES",
        "ES-O",
        "ES-CR",
        "ES-S",
        "CRS",
        "SEMEP",
        "SRAP",
        "GAC",
        "WCI",
        "TIP",
        "OCR",
        "SEAC",
        "CPR",
        "SECC",
        "SPG",
        "SRGIA",
        "SACSED",
        "EEE",
        "USSES",
        "CSO",
    }
)
_WORD_SPLIT = re.compile(r"[\s/,]+")
_COUNTRY = re.compile(r"^[A-Z]{3,4}$")


def mark_meaning(
    inner: str, text: str, start: int, context: bool
) -> tuple[Level, tuple[str, ...]] | None:
    """What a parenthesised group means as a portion mark, or ``None`` for prose."""
    stripped = inner.strip()
    read = _read_mark(stripped)
    if read is None:
        return None
    level, controls, single, office = read
    if single:
        before = text[start - 1] if start > 0 else "\n"
        if before.isdigit():
            return None  # ``1.4(c)``: a reason letter
        if before.isalpha() and stripped.upper() == "R":
            return None  # ``Word(R)``: a trademark
        if context and stripped.islower() and not _at_line_start(text, start):
            return None  # ``(a) ... (c)``: a list in prose; only a line-start ``(c)`` counts
        if context and _follows_list_letter(stripped.upper(), text, start):
            return None  # ``(A) MADRID 3785 (B) MADRID 3566 (C) SECSTATE``: a lettered list
    if context and office:
        return None  # ``(S/GC)``, ``(S/P)``: State offices under the Secretary
    return level, controls


@functools.lru_cache(maxsize=4096)
def _read_mark(stripped: str) -> tuple[Level, tuple[str, ...], bool, bool] | None:
    """The context-free reading of a mark's inside: level, controls, whether it is one
    letter, whether it is a State office symbol. Cached: texts repeat a few marks."""
    if not stripped:
        return None
    upper = " ".join(stripped.upper().split())
    foreign = upper.startswith("//")
    upper = upper.lstrip("/ ")
    words = [w for w in _WORD_SPLIT.split(upper) if w]
    if not words:
        return None
    level, rest = _leading_level(words, foreign)
    if level is None:
        return None
    controls: list[str] = []
    separated = "/" in stripped or len(rest) == 0
    for word in rest:
        if word in CONTROLLED:
            controls.append(CONTROLLED[word])
        elif word in RESTRICTING:
            controls.append(RESTRICTING[word])
        elif word in {"REL", "TO", "FGI", "JOINT", "USA", "DOD", "DOE"} or _COUNTRY.match(word):
            if word == "REL":
                controls.append("REL TO")
        elif separated:
            controls.append(word)  # an unknown control in a slashed mark: still a mark
        else:
            return None  # ``(S and T)``, ``(U.S. only)``: prose in parentheses
    single = len(words) == 1 and len(words[0]) == 1
    office = _office_symbol(stripped, level, rest)
    if upper in CONTROLLED:
        return "U", (CONTROLLED[upper],), single, office
    if level == "U" and words[0] in CONTROLLED:
        controls.insert(0, CONTROLLED[words[0]])
    return level, tuple(dict.fromkeys(controls)), single, office


def _leading_level(words: list[str], foreign: bool) -> tuple[Level | None, list[str]]:
    """The level a mark opens with (skipping FGI/JOINT owners), and the words after it."""
    index = 0
    if words[0] in {"JOINT", "FGI"} or (foreign and _COUNTRY.match(words[0]) and len(words) > 1):
        index = 1
        while (
            index < len(words) - 1
            and _COUNTRY.match(words[index])
            and words[index] not in (LEVEL_WORDS)
        ):
            index += 1
    if index >= len(words):
        return None, []
    first = words[index]
    if index + 1 < len(words) and f"{first} {words[index + 1]}" in LEVEL_WORDS:
        return LEVEL_WORDS[f"{first} {words[index + 1]}"], words[index + 2 :]
    if first in LEVEL_WORDS:
        return LEVEL_WORDS[first], words[index + 1 :]
    if first in CONTROLLED:
        return "U", words[index + 1 :]
    return None, []


def _office_symbol(inner: str, level: Level, rest: list[str]) -> bool:
    """``S/GC``: one slash, then a known State office, is an office symbol, not a mark."""
    return (
        level == "S"
        and len(rest) == 1
        and rest[0] in _STATE_OFFICES
        and "//" not in inner
        and inner.upper().replace(" ", "").startswith("S/")
    )


def _follows_list_letter(letter: str, text: str, start: int) -> bool:
    """A single letter that an enumeration's previous letter precedes closely."""
    if len(letter) != 1 or letter == "A":
        return False
    previous = chr(ord(letter.upper()) - 1)
    # This line and the one before, at most 300 characters back (a bound keeps it linear).
    window = text[max(0, start - 300) : start]
    window = "\n".join(window.rsplit("\n", 2)[-2:]).upper()
    return f"({previous})" in window or f"{previous})" in window


def _at_line_start(text: str, position: int) -> bool:
    """Only a short lead (quotes, bullets, a number) stands before ``position`` on its line."""
    lo = max(0, position - 40)
    line_start = text.rfind("\n", lo, position) + 1
    if line_start == 0 and lo > 0:
        return False  # no line break within 40 characters: mid-line
    lead = text[line_start:position]
    return not lead.strip(" \t>|*#+-•·▪■◦‣0123456789.ivx)[]")


def banner_meaning(level_text: str, rest: str) -> tuple[Level, tuple[str, ...]] | None:
    """A line that opens with a level word is a banner when the rest is marking-like."""
    word = " ".join(level_text.upper().replace("\t", " ").split())
    compact = word.replace(" ", "")
    level: Level
    controls: list[str] = []
    if compact in {"TOPSECRET"}:
        level = "TS"
    elif compact in {"SECRET", "CONFIDENTIAL", "C0NFIDENTIAL", "RESTRICTED"}:
        level = LEVEL_WORDS[compact.replace("0", "O")]
    elif compact in {"UNCLASSIFIED", "UNCLAS"}:
        level = "U"
    else:
        level = "U"
        controls.append(CONTROLLED.get(word, "CUI"))
    tail = rest.strip()
    if not tail:
        return level, tuple(controls)
    if tail[0] in "/-" or tail.startswith("–"):
        words = [w for w in _WORD_SPLIT.split(tail.upper().strip("/-– ")) if w]
        controls += _known_controls(words)
        return level, tuple(dict.fromkeys(controls))
    if tail.startswith("("):
        return None  # ``Secret (a novel)``
    if not tail.isupper():
        return None  # ``Secret talks began`` in prose
    words = [w for w in _WORD_SPLIT.split(tail) if w]
    if len(words) > 8:
        return None
    markingish = [
        w
        for w in words
        if w in CONTROLLED
        or w in RESTRICTING
        or w in {"SECTION", "OF", "REL", "TO", "SIPDIS", "SENSITIVE", "EFTO", "CUI"}
        or any(c.isdigit() for c in w)
        or _COUNTRY.match(w)
    ]
    if len(markingish) < max(1, len(words) - 2):
        return None  # an ALL-CAPS sentence that opens with a level word
    controls += _known_controls(words)
    return level, tuple(dict.fromkeys(controls))


def banner_meaning_loose(value: str) -> tuple[Level, tuple[str, ...]] | None:
    """``Classification: Secret//Noforn`` as e-mail tools label a message."""
    words = [w for w in _WORD_SPLIT.split(value.upper().strip()) if w]
    if not words:
        return None
    if words[0] == "TOP" and len(words) > 1 and words[1] == "SECRET":
        return "TS", tuple(_known_controls(words[2:]))
    for word in words[:1]:
        if word in {"SECRET", "CONFIDENTIAL", "C0NFIDENTIAL", "RESTRICTED", "UNCLASSIFIED"}:
            return LEVEL_WORDS[word.replace("0", "O")], tuple(_known_controls(words[1:]))
        if word in {"UNCLAS", "U", "S", "C", "TS"}:
            return LEVEL_WORDS[word], tuple(_known_controls(words[1:]))
        if word in CONTROLLED:
            return "U", (CONTROLLED[word], *_known_controls(words[1:]))
    return None


def _known_controls(words: list[str]) -> list[str]:
    controls: list[str] = []
    for word in words:
        if word in CONTROLLED:
            controls.append(CONTROLLED[word])
        elif word in RESTRICTING:
            controls.append(RESTRICTING[word])
        elif word == "REL":
            controls.append("REL TO")
    return controls
