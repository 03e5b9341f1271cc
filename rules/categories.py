"""The categories of a marking after its level: SCI, SAP, AEA, FGI, dissemination.

Each token of a marking is classified on its own against the vocabulary, so
that legacy separators (``S/NF``, commas, spaces) read the same as CAPCO's
``//`` and ``/``. Unknown tokens are kept and flagged: they may be codewords
(docs/markings.md 1.5), and a marking that holds one is not trusted as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from declass.rules.model import Level
from declass.rules.vocabulary import (
    AEA,
    COUNTRY_NAMES,
    DISSEM,
    DISSEM_BANNER_ALIASES,
    NATO_CONTROLS,
    NATO_LEVELS,
    NON_IC,
    NON_IC_BANNER_ALIASES,
    SCI_SYSTEMS,
    TITLES,
)

Position = Literal["portion", "banner"]

LEVEL_WORDS: dict[str, Level] = {
    "TOP SECRET": "TS",
    "SECRET": "S",
    "CONFIDENTIAL": "C",
    "UNCLASSIFIED": "U",
    "UNCLAS": "U",
    "RESTRICTED": "R",
}
LEVEL_LETTERS: dict[str, Level] = {"TS": "TS", "S": "S", "C": "C", "U": "U"}

_REL = re.compile(r"^REL(?:EASABLE)?(\s+TO)?(?:\s+(.*))?$")
_SCI = re.compile(r"^([A-Z]{2,4})(?:-[A-Z0-9]+)*(?: [A-Z0-9]+)*$")
_DECL_VALUE = re.compile(r"^(\d{8}|MR|OADR|X[1-8]|25X[1-9]|50X[12]-(?:HUM|WMD))$")
_FGI = re.compile(r"^FGI((?: [A-Z]{3,4})*)$")
_TRIGRAPH = re.compile(r"^[A-Z]{3}$")
_LEGACY_FOREIGN = re.compile(r"^(NATO|UK|[A-Z]{3})-(TS|S|C|R|U)$")
_CUI = re.compile(r"^CUI(?=$|//|/)")
_TETRAGRAPH = re.compile(r"^[A-Z]{4}$")


@dataclass
class MarkingParts:
    """Accumulates the categories of one marking while it is parsed."""

    level: Level | None = None
    problems: list[str] = field(default_factory=list)
    sci: list[str] = field(default_factory=list)
    sap: list[str] = field(default_factory=list)
    aea: list[str] = field(default_factory=list)
    fgi: list[str] = field(default_factory=list)
    fgi_concealed: bool = False
    dissem: list[str] = field(default_factory=list)
    non_ic: list[str] = field(default_factory=list)
    extra_controls: list[str] = field(default_factory=list)
    rel_to: list[str] = field(default_factory=list)
    display_only: list[str] = field(default_factory=list)
    owner: str | None = None
    joint_owners: list[str] = field(default_factory=list)
    entire_text: bool = False
    declass_value: str | None = None
    foreign_head: str = ""

    def warn(self, code: str) -> None:
        if code not in self.problems:
            self.problems.append(code)

    def add(self, bucket: list[str], value: str) -> None:
        if value not in bucket:
            bucket.append(value)


def parse_categories(rest: str, parts: MarkingParts, where: Position) -> None:
    for category in rest.split("//"):
        values = _split_values(category)
        if values and values[0].startswith(("SAR-", "SPECIAL ACCESS REQUIRED-")):
            for v in values:  # one SAP category; one by one, as extend(generator) differs compiled
                parts.add(parts.sap, v)
            continue
        for token in values:
            classify_token(token, parts, where)
    if "NF" in parts.dissem and "REL TO" in parts.dissem:
        parts.warn("noforn_with_rel_to")


def _split_values(category: str) -> list[str]:
    """Split one category on ``/``; ``REL TO A, B`` lists stay whole, and the
    commas that separated controls before 2005 (``OC, NF``) split like ``/``."""
    values: list[str] = []
    for piece in category.split("/"):
        piece = piece.strip()
        if not piece:
            continue
        if "," in piece and not piece.startswith(("REL", "DISPLAY ONLY")):
            values += [p.strip() for p in piece.split(",") if p.strip()]
        else:
            values.append(piece)
    return values


def classify_token(token: str, parts: MarkingParts, where: Position) -> None:
    token = token.strip(" ,")
    other = "banner" if where == "portion" else "portion"
    if token in DISSEM:
        if where == "banner" and token != DISSEM[token]:
            parts.warn("portion_abbreviation_in_banner")
        parts.add(parts.dissem, token)
    elif token in DISSEM_BANNER_ALIASES or token in DISSEM.values():
        short = DISSEM_BANNER_ALIASES.get(token) or _short_of(DISSEM, token)
        if where == "portion" and token != short:
            parts.warn("banner_abbreviation_in_portion" if token != "N" else "state_short_form")
        parts.add(parts.dissem, short)
    elif token in NON_IC:
        if where == "banner" and token != NON_IC[token]:
            parts.warn("portion_abbreviation_in_banner")
        parts.add(parts.non_ic, token)
    elif token in NON_IC_BANNER_ALIASES or token in NON_IC.values():
        short = NON_IC_BANNER_ALIASES.get(token) or _short_of(NON_IC, token)
        if where == "portion":
            parts.warn(f"{other}_abbreviation_in_{where}")
        parts.add(parts.non_ic, short)
    elif token in TITLES:
        bucket, short = TITLES[token]
        if where == "portion":
            parts.warn("banner_abbreviation_in_portion")
        target = {"dissem": parts.dissem, "non_ic": parts.non_ic, "sci": parts.sci}
        parts.add(target.get(bucket, parts.extra_controls), short)
    elif _REL.match(token):
        _parse_rel(token, parts)
    elif token.startswith("DISPLAY ONLY"):
        parts.add(parts.dissem, "DISPLAY ONLY")
        parts.display_only.extend(_split_countries(token[len("DISPLAY ONLY") :], parts))
    elif _FGI.match(token):
        codes = token[3:].split()
        for c in codes:  # one by one: mypyc builds extend(generator)'s list before extending
            parts.add(parts.fgi, c)
        parts.fgi_concealed = parts.fgi_concealed or not codes
    elif token.startswith(("SAR-", "SPECIAL ACCESS REQUIRED-")):
        parts.add(parts.sap, token)
    elif token.split("-")[0] in AEA or token in AEA:
        parts.add(parts.aea, token)
    elif _DECL_VALUE.match(token):
        parts.declass_value = token
        parts.warn("declassification_value_in_banner_retired_2008")
    elif _is_sci(token):
        parts.add(parts.sci, token)
    elif token in NATO_CONTROLS or token in ("LOU", "CUI"):
        parts.add(parts.extra_controls, token)
    else:
        parts.add(parts.extra_controls, token)
        parts.warn("unknown_token")


def _short_of(table: dict[str, str], long: str) -> str:
    return next(short for short, name in table.items() if name == long)


def _is_sci(token: str) -> bool:
    match = _SCI.match(token)
    return bool(match) and match is not None and match.group(1) in SCI_SYSTEMS


def _parse_rel(token: str, parts: MarkingParts) -> None:
    match = _REL.match(token)
    assert match is not None  # guarded by the caller's _REL.match
    parts.add(parts.dissem, "REL TO")
    listed = match.group(2) or ""
    if not match.group(1) and listed:
        parts.warn("missing_TO")
    if not listed:
        return
    codes = _split_countries(listed, parts)
    if codes and codes[0] != "USA":
        parts.warn("usa_not_first" if "USA" in codes else "usa_implied")
    ordered = _order_rel(codes)
    if ordered == ["USA"]:
        parts.warn("rel_to_usa_only_not_authorized")
    elif "USA" in codes and codes != ordered:
        parts.warn("rel_to_order")
    parts.rel_to = ordered


def _split_countries(listed: str, parts: MarkingParts) -> list[str]:
    codes: list[str] = []
    for name in re.split(r",|\bAND\b", listed):
        name = " ".join(name.split())
        if not name:
            continue
        if name in COUNTRY_NAMES and COUNTRY_NAMES[name] != name:
            code = COUNTRY_NAMES[name]
            parts.warn("country_name_not_trigraph")
        elif _TRIGRAPH.match(name) or _TETRAGRAPH.match(name):
            code = name
        else:
            code = name
            parts.warn("country_not_recognised")
        if code not in codes:
            codes.append(code)
    return codes


def _order_rel(codes: list[str]) -> list[str]:
    """USA first, then trigraphs, then tetragraphs, each alphabetical."""
    others = [c for c in codes if c != "USA"]
    tri = sorted(c for c in others if len(c) == 3)
    rest = sorted(c for c in others if len(c) != 3)
    return ["USA", *tri, *rest]


def parse_foreign(body: str, parts: MarkingParts, where: Position) -> bool:
    """Non-US, JOINT and concealed-FGI marks, which all begin with ``//``."""
    head, _, rest = body.partition("//")
    words = head.split()
    if not words:
        return False
    parts.foreign_head = head
    if head in NATO_LEVELS or head.startswith("NATO ") or head.startswith("COSMIC "):
        level = _nato_level(head)
        if level is None:
            return False
        parts.level, parts.owner = level, "NATO"
    elif words[0] == "JOINT" and len(words) >= 3:
        level_words, owners = _split_level_owners(words[1:])
        if level_words is None:
            return False
        parts.level, parts.joint_owners = level_words, sorted(owners)
    elif words[0] == "FGI" and len(words) >= 2:
        level = level_token(" ".join(words[1:]))
        if level is None:
            return False
        parts.level, parts.fgi_concealed = level, True
    elif len(words) >= 2 and re.fullmatch(r"[A-Z]{3,4}", words[0]):
        level, owners = _split_owners_level(words)
        if level is None:
            return False
        parts.level, parts.owner = level, " ".join(owners)
    else:
        return False
    if rest:
        for category in rest.split("//"):
            for token in _split_values(category):
                classify_token(token, parts, where)
    return True


def _split_owners_level(words: list[str]) -> tuple[Level | None, list[str]]:
    """``CAN GBR S`` -> (S, [CAN, GBR]): source countries, then a level (docs/markings.md 1.2)."""
    for size in (2, 1):
        level = level_token(" ".join(words[-size:]))
        owners = words[:-size]
        if level is not None and owners and all(re.fullmatch(r"[A-Z]{3,4}", w) for w in owners):
            return level, owners
    return None, []


def parse_legacy_foreign(upper: str, parts: MarkingParts) -> bool:
    """Older DoD foreign portions: ``(NATO-S)``, ``(UK-C)`` (docs/markings.md 1.2)."""
    match = _LEGACY_FOREIGN.match(upper)
    if match is None:
        return False
    owner = COUNTRY_NAMES.get(match.group(1), match.group(1))
    parts.level, parts.owner = LEVEL_LETTERS.get(match.group(2), "R"), owner
    parts.foreign_head = f"{owner} {match.group(2)}" if owner != "NATO" else f"N{match.group(2)}"
    parts.warn("legacy_foreign_portion")
    return True


def parse_cui(upper: str, parts: MarkingParts) -> bool:
    """``(CUI)``, ``(CUI//SP-PRVCY)``: controlled unclassified information.

    See docs/markings.md 1.3."""
    if not _CUI.match(upper):
        return False
    parts.level = "U"
    parts.add(parts.extra_controls, "CUI")
    for category in upper[3:].split("//"):
        for token in _split_values(category):
            if token in DISSEM or token in DISSEM_BANNER_ALIASES or _REL.match(token):
                classify_token(token, parts, "portion")
            else:
                parts.add(parts.extra_controls, token)  # categories and limited dissemination
    return True


def _nato_level(head: str) -> Level | None:
    if head in NATO_LEVELS:
        return NATO_LEVELS[head][0]  # type: ignore[return-value]
    for level, long in NATO_LEVELS.values():
        if head == long:
            return level  # type: ignore[return-value]
    return None


def _split_level_owners(words: list[str]) -> tuple[Level | None, list[str]]:
    for size in (2, 1):
        level = level_token(" ".join(words[:size]))
        if level is not None:
            return level, words[size:]
    return None, []


def level_token(token: str) -> Level | None:
    return LEVEL_LETTERS.get(token) or LEVEL_WORDS.get(token) or ("R" if token == "R" else None)
