"""The classification authority block: who classified, and for which reasons.

Cables write it in hundreds of shapes (``Reasons 1.4 (b) and (d)``, ``REASON:
1.4(B), (D)``, ``reasons 1.4 b, c, and d``, ``1.5.D``, ``Re\\nasons 1.4
(b/d)``, ``1/4 (B)``) and wrap it anywhere, even inside a word, so the block
is read as one string with line breaks folded away.
"""

from __future__ import annotations

import re

from declass.rules.model import ClassifiedBy

_PREFIX = re.compile(
    r"^\s*(?:\(\s*[A-Z]\s*\)\s*)?(?:\d{1,2}\s*\.\s*)?(?:\(\s*U\s*\)\s*)?"
    r"(?:(?:TOP SECRET|SECRET|CONFIDENTIAL)\s*-\s*ENTIRE\s+TEXT\.?\s*)?"
    r"(?:(?:\(\s*U\s*\)\s*)?C\s?L\s?A\s?S\s?S\s?I\s?F\s?I\s?E\s?D\s+B\s?Y\s*:?\s*)+"
    r"(?:\(\s*U\s*\)\s*)?",
    re.IGNORECASE,
)
_REASON = re.compile(r"r\s*e\s*a\s*s\s*o\s*n(?:\s*s|\s*\(\s*s\s*\))?\s*:?", re.IGNORECASE)
_SECTION = re.compile(
    r"^\s*(?:E\.?O\.?\s*\d{5}\s*,?\s*)?(?:SECTION\s+|FOR\s+)?(1)\s*[./:]?\s*([45])(?![0-9])",
    re.IGNORECASE,
)
_LETTERS_ONLY = re.compile(r"^\s*\(?\s*([a-hA-H])\s*[),]")
_BARE = re.compile(r"(?:\bSECTION\s+|\bFOR\s+)?\b1\s*[./:]\s*[45]\b", re.IGNORECASE)
_DERIVED = re.compile(r"DERIVED\s+FROM\s*:?\s*(.+)$", re.IGNORECASE)
_TITLE_WORDS = frozenset(
    [
        "ACTING",
        "DEPUTY",
        "CHIEF",
        "OF",
        "MISSION",
        "AMBASSADOR",
        "AMB",
        "AMB.",
        "CHARGE",
        "CHARG",
        "D'AFFAIRES",
        "A.I.",
        "A.I.,",
        "AFFAIRES",
        "DCM",
        "CDA",
        "POLITICAL",
        "POLITICAL-ECONOMIC",
        "ECONOMIC",
        "SECTION",
        "MINISTER",
        "COUNSELOR",
        "COUNSELLOR",
        "DIRECTOR",
        "ASSISTANT",
        "SECRETARY",
        "UNDER",
        "CONSUL",
        "GENERAL",
        "CONSUL-GENERAL",
        "PRINCIPAL",
        "OFFICER",
        "OFFICE",
        "CHIEF",
        "POLOFF",
        "ECONOFF",
        "POL",
        "ECON",
        "POL/ECON",
        "POL/MIL",
        "POLMIL",
        "POL-MIL",
        "MIL",
        "OFFICER",
        "AIT",
        "ISN",
        "RM",
        "A/S",
        "E/P",
        "DAS",
        "SPECIAL",
        "ENVOY",
        "REPRESENTATIVE",
        "COORDINATOR",
        "ADVISER",
        "ADVISOR",
        "SENIOR",
        "TEMPORARY",
        "INTERIM",
        "EXECUTIVE",
        "ATTACHE",
        "DEFENSE",
        "REGIONAL",
        "PUBLIC",
        "AFFAIRS",
        "MANAGEMENT",
        "CONSULAR",
        "COMMERCIAL",
        "INR/OPS",
        "PDAS",
        "CHARG",
        "USUN",
        "USEU",
        "SECTION,",
        "A.I",
    ]
)


def parse_classified_by(text: str) -> ClassifiedBy:
    """Read authority, title and reasons from a (possibly wrapped) block."""
    raw = text.strip()
    folded = " ".join(text.split())
    problems = _wrap_problems(raw)
    prefix = _PREFIX.match(folded)
    body = folded[prefix.end() :] if prefix else folded
    if prefix and prefix.group(0).upper().count("BY") > 1:
        problems.append("duplicated_prefix")
    reason = _REASON.search(body)
    bare = None if reason else _BARE.search(body)
    who = body[: reason.start()] if reason else body[: bare.start()] if bare else body
    reasons = _read_reasons(body[reason.end() :] if reason else _bare_reasons(body), problems)
    derived = _DERIVED.search(who)
    if derived:
        return ClassifiedBy(
            raw=raw,
            derivative=True,
            authority=None,
            title=derived.group(1).strip(" ."),
            reasons=reasons,
            problems=problems,
        )
    title, authority = _split_title_name(who)
    if not reasons:
        problems.append("missing_reason")
    if authority is None and not who.strip():
        problems.append("no_classifier_named")
    return ClassifiedBy(
        raw=raw, authority=authority, title=title, reasons=reasons, problems=problems
    )


def _wrap_problems(raw: str) -> list[str]:
    """How the block was wrapped: reviewers check wrapped reasons by eye."""
    if "\n" not in raw:
        return []
    problems = ["line_wrap"]
    if re.search(r"\(\s*\n", raw):
        problems.append("line_wrap_inside_parentheses")
    if re.search(r"[A-Za-z]\n[a-z]", raw):
        problems.append("line_wrap_inside_word")
    return problems


def _bare_reasons(body: str) -> str:
    """Blocks with no 'reason' keyword: ``CLASSIFIED BY SECTION 1.5 (B) AND (D)``."""
    match = _BARE.search(body)
    return body[match.start() :] if match else ""


def _read_reasons(text: str, problems: list[str]) -> list[str]:
    section = _SECTION.match(text)
    if section:
        order = f"1.{section.group(2)}"
        rest = text[section.end() :]
    elif _LETTERS_ONLY.match(text) or re.match(r"^\s*[a-hA-H]\s*(?:,|and|&)", text):
        order, rest = "1.4", text
        problems.append("reason_section_missing")
    else:
        return []
    letters = _letters(rest)
    if not letters:
        problems.append("reason_letters_missing")
        return [order]
    reasons = [f"{order}({letter})" for letter in letters]
    for letter in letters:
        if letter > "h":
            problems.append("unknown_category_letter")
        elif letter == "h" and order == "1.5":
            problems.append("no_category_h_before_2003")
    return reasons


def _letters(text: str) -> list[str]:
    """Collect reason letters up to the first word that is not a letter or 'and'."""
    sentence = re.split(r"\.\s", text, maxsplit=1)[0]
    tokens = [t.lower() for t in re.findall(r"[A-Za-z]+", sentence)]
    letters: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "a" and tokens[i + 1 : i + 2] == ["nd"]:  # "A ND", a wrapped "AND"
            i += 2
        elif tok in ("and", "or"):
            i += 1
        elif len(tok) == 1 or (not letters and re.fullmatch(r"[a-h]{2,4}", tok)):
            for c in tok:  # one by one, not extend(generator): mypyc builds the list first
                if c not in letters:
                    letters.append(c)
            i += 1
        else:
            break
    return letters


def _split_title_name(who: str) -> tuple[str | None, str | None]:
    """Separate the classifier's title from the name (``DCM Jane Roe``)."""
    who = re.sub(r"\s+for\s*$", "", who.strip(" ,;:."), flags=re.IGNORECASE)
    if not who:
        return None, None
    head, _, tail = who.partition(",")
    if tail and not any(_is_title(w) for w in head.split()):
        return tail.strip(" ,;.") or None, head.strip() or None  # "Name, Title"
    words = who.replace(",", " , ").split()
    cut = 0
    while cut < len(words) and (_is_title(words[cut]) or words[cut] in (",", "of", "the")):
        cut += 1
    title = " ".join(words[:cut]).replace(" ,", ",").strip(" ,") or None
    name = " ".join(words[cut:]).replace(" ,", ",").strip(" ,;.") or None
    return title, name


def _is_title(word: str) -> bool:
    return word.upper().strip(",") in _TITLE_WORDS
