"""Banner and portion marking grammar -> :class:`Marking`.

The grammar is CAPCO's (``LEVEL//SCI//SAP//AEA//FGI//DISSEM//NON-IC``) with
the legacy and State Department forms that real cables use (docs/markings.md 2.4):
single slashes, spaces, lower case, spelled-out levels, ``SBU/N``, country
names in REL lists. A recognisable but non-standard marking is parsed and its
``problems`` listed; ``damaged`` is set when the marking cannot be trusted as
written, so that the engine fails closed on it.
"""

from __future__ import annotations

import functools
import re

from declass.rules.categories import (
    LEVEL_LETTERS,
    LEVEL_WORDS,
    MarkingParts,
    Position,
    parse_categories,
    parse_cui,
    parse_foreign,
    parse_legacy_foreign,
)
from declass.rules.model import LEVEL_NAMES, Marking
from declass.rules.vocabulary import DISSEM, NATO_CONTROLS, NON_IC

__all__ = ["LEVEL_LETTERS", "LEVEL_WORDS", "parse_banner_marking", "parse_portion"]

_REGISTER_ORDER = {name: i for i, name in enumerate([*DISSEM, *NON_IC])}
_SPELLED = re.compile(r"^(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)(?=$|[/ -])")
_LETTER = re.compile(r"^(TS|S|C|U)(?=$|//|/|-| )")
_GLUED = re.compile(r"^(S|C)(NF)$")
_STATE_SBU = re.compile(r"^SBU(?:[/-](NF|N))?(?=$|/)")
#: Unclassified controls written alone, the ``U//`` left out: ``(FOUO)``, ``(LES)``.
_BARE_CONTROL = re.compile(r"^(?:FOUO|LOU|LES(?:-NF)?|SSI|(?:DOD |DOE )?UCNI)(?=$|/)")
#: State tasking numbers such as ``(C-AL9-01786)`` look like a level and a token.
_TASKING = re.compile(r"^[CSU]-[A-Z]{1,4}\d*-\d{3,}$")
_ENTIRE = re.compile(
    r"^(TS|S|C|U|TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)\s*[-–]+\s*ENTIRE\s+TEXT\.?$"
)

#: Problems that make a marking untrustworthy rather than merely old-fashioned.
DAMAGE: frozenset[str] = frozenset(
    {
        "missing_open_parenthesis",
        "missing_close_parenthesis",
        "unknown_token",
        "noforn_with_rel_to",
        "rel_to_usa_only_not_authorized",
        "country_not_recognised",
    }
)


@functools.lru_cache(maxsize=4096)
def parse_portion(text: str, *, paragraph_position: bool = True) -> Marking | None:
    """Parse a portion marking such as ``(S//NF)``; ``None`` if it is not one.

    Lower-case marks (``(c)``) are accepted only in paragraph position, where
    cables really use them; elsewhere ``(c)`` is a list enumerator. Cached:
    a corpus holds a few dozen distinct markings, and markings are frozen.
    """
    raw = text
    parts = MarkingParts()
    inner = _strip_parentheses(text.strip(), parts)
    if inner is None:
        return None
    if inner != inner.strip():
        parts.warn("whitespace_inside_parentheses")
        inner = inner.strip()
    if not inner or not _check_case(inner, parts, paragraph_position):
        return None
    upper = " ".join(inner.upper().split())
    entire = _ENTIRE.match(upper)
    if entire:
        word = entire.group(1)
        parts.level = LEVEL_LETTERS.get(word) or LEVEL_WORDS[word]
        parts.entire_text = True
        return _build(raw, parts, "portion")
    if upper.startswith("//"):
        if not parse_foreign(upper[2:], parts, "portion"):
            return None
        return _build(raw, parts, "portion")
    if parse_cui(upper, parts) or parse_legacy_foreign(upper, parts):
        return _build(raw, parts, "portion")
    rest = _parse_portion_level(upper, parts)
    if rest is None or _TASKING.match(upper):
        return None
    parse_categories(rest, parts, "portion")
    return _build(raw, parts, "portion")


def parse_banner_marking(text: str) -> Marking | None:
    """Parse a CAPCO-style banner (``SECRET//NOFORN``); ``None`` if not one."""
    raw = text
    parts = MarkingParts()
    stripped = text.strip()
    if not stripped:
        return None
    if stripped != stripped.upper():
        parts.warn("banner_not_upper_case")
    upper = " ".join(stripped.upper().split())
    if upper.startswith("//"):
        if not parse_foreign(upper[2:], parts, "banner"):
            return None
        return _build(raw, parts, "banner")
    level_part, sep, rest = upper.partition("//")
    level_part = level_part.strip()
    if level_part in LEVEL_WORDS:
        parts.level = LEVEL_WORDS[level_part]
    elif level_part == "LIMITED OFFICIAL USE":
        parts.level = "U"
        parts.add(parts.extra_controls, "LOU")
    elif level_part in LEVEL_LETTERS and sep:
        parts.level = LEVEL_LETTERS[level_part]
        parts.warn("abbreviated_level_in_banner")
    else:
        return None
    if rest:
        parse_categories(rest, parts, "banner")
    return _build(raw, parts, "banner")


def _strip_parentheses(text: str, parts: MarkingParts) -> str | None:
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1]
    if text.endswith(")") and not text.startswith("("):
        parts.warn("missing_open_parenthesis")
        return text[:-1]
    if text.startswith("(") and not text.endswith(")"):
        parts.warn("missing_close_parenthesis")
        return text[1:]
    # Bare forms such as "SECRET - ENTIRE TEXT." carry no parentheses at all.
    return text if _ENTIRE.match(" ".join(text.upper().split())) else None


def _check_case(inner: str, parts: MarkingParts, paragraph_position: bool) -> bool:
    letters = [c for c in inner if c.isalpha()]
    if not letters or all(c.isupper() for c in letters):
        return True
    if all(c.islower() for c in letters):
        if not paragraph_position:
            return False
        parts.warn("lowercase")
        if len(letters) <= 2:
            parts.warn("lowercase_marking_accepted_only_in_paragraph_position")
        return True
    parts.warn("mixed_case")
    return True


def _parse_portion_level(upper: str, parts: MarkingParts) -> str | None:
    """Read the level at the start of a US portion mark; return what follows."""
    sbu = _STATE_SBU.match(upper)
    if sbu:
        parts.level = "U"
        parts.add(parts.non_ic, "SBU-NF" if sbu.group(1) else "SBU")
        parts.warn("state_short_form")
        return _after_level(upper[sbu.end() :], parts)
    if _BARE_CONTROL.match(upper):
        parts.level = "U"
        parts.warn("implied_unclassified_level")
        return upper
    glued = _GLUED.match(upper)
    if glued:
        parts.level = LEVEL_LETTERS[glued.group(1)]
        parts.warn("nonstandard_separator")
        return glued.group(2)
    spelled = _SPELLED.match(upper)
    if spelled:
        parts.level = LEVEL_WORDS[spelled.group(1)]
        parts.warn("spelled_out_level_in_portion")
        return _after_level(upper[spelled.end() :], parts)
    letter = _LETTER.match(upper)
    if letter:
        parts.level = LEVEL_LETTERS[letter.group(1)]
        return _after_level(upper[letter.end() :], parts)
    return None


def _after_level(rest: str, parts: MarkingParts) -> str | None:
    """Normalise the separator between the level and the first category."""
    if not rest:
        return ""
    if rest.startswith("//"):
        return rest[2:]
    if rest.startswith("/"):
        parts.warn("legacy_single_slash")
        return rest[1:]
    if rest[0] in " -":
        parts.warn("nonstandard_separator")
        return rest[1:].lstrip()
    return None


def _build(raw: str, parts: MarkingParts, where: Position) -> Marking:
    assert parts.level is not None  # every caller sets the level before building
    dissem = sorted(parts.dissem, key=lambda t: _REGISTER_ORDER.get(t, 99))
    non_ic = sorted(parts.non_ic, key=lambda t: _REGISTER_ORDER.get(t, 99))
    controls = [DISSEM[t] for t in dissem] + [NON_IC[t] for t in non_ic]
    controls += [c for c in parts.extra_controls if c not in controls]
    if "rel_to_usa_only_not_authorized" in parts.problems and "NOFORN" not in controls:
        controls.append("NOFORN")
    if parts.fgi or parts.fgi_concealed:
        controls.append("FGI")
    # UCNI is the one unclassified AEA marking: a control the policy must see.
    controls += [token for token in parts.aea if token.endswith("UCNI")]
    return Marking(
        raw=raw,
        level=parts.level,
        controls=controls,
        rel_to=parts.rel_to,
        valid=not parts.problems,
        problems=parts.problems,
        damaged=any(p in DAMAGE for p in parts.problems),
        normalized=_normalize(parts, dissem, non_ic, where),
        sci=parts.sci,
        sap=parts.sap,
        aea=parts.aea,
        fgi=sorted(parts.fgi),
        fgi_concealed=parts.fgi_concealed,
        owner=parts.owner,
        joint_owners=parts.joint_owners,
        display_only=parts.display_only,
        entire_text=parts.entire_text,
        declass_value=parts.declass_value,
    )


def _normalize(parts: MarkingParts, dissem: list[str], non_ic: list[str], where: Position) -> str:
    """The canonical portion form (``(S//NF)``) or banner form (``SECRET//NOFORN``)."""
    assert parts.level is not None
    banner = where == "banner"
    level = LEVEL_NAMES[parts.level] if banner else parts.level
    if parts.foreign_head:
        level = f"//{parts.foreign_head}"
    categories = [level]
    nato = [c for c in parts.extra_controls if c in NATO_CONTROLS]
    if nato:
        categories.append("/".join(nato))
    for bucket in (parts.sci, parts.sap, parts.aea):
        if bucket:
            categories.append("/".join(bucket))
    if (parts.fgi or parts.fgi_concealed) and not parts.foreign_head:
        categories.append(" ".join(["FGI", *sorted(parts.fgi)]))
    if dissem:
        categories.append("/".join(_dissem_text(t, parts, banner) for t in dissem))
    if non_ic:
        categories.append("/".join(NON_IC[t] if banner else t for t in non_ic))
    if "LOU" in parts.extra_controls:
        categories.append("LOU")
    if "CUI" in parts.extra_controls and not parts.foreign_head:
        categories = ["CUI", *(c for c in parts.extra_controls if c != "CUI")]
    text = "//".join(categories)
    return text if banner else f"({text})"


def _dissem_text(token: str, parts: MarkingParts, banner: bool) -> str:
    if token == "REL TO":
        return "REL TO " + ", ".join(parts.rel_to) if parts.rel_to else "REL"
    if token == "DISPLAY ONLY":
        return "DISPLAY ONLY " + ", ".join(parts.display_only)
    return DISSEM[token] if banner else token
