"""Key 2's control words: acronyms (``NOFORN``) and phrases (``for official use only``).

Phrases are found two ways. The reference reading (:func:`control_phrases_by_pattern`)
runs each row's regular expression over the whole text: it is the definition, kept for
the property tests. The reading key 2 uses finds the same tokens from ``str.find`` hits
of a word every match must hold, and tries the pattern only there: a pattern that opens
with a common word (``for``, ``not``) is tried at every character, and these scans were
a few per cent of a text release. Tests compare the two on random and adversarial text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from declass.rules.evidence_meaning import CONTROLLED, RESTRICTING

#: Control acronyms, matched in the folded text as they stand (upper case).
ACRONYMS: tuple[str, ...] = (
    "FOUO",
    "LOU",
    "SBU",
    "LES",
    "SSI",
    "UCNI",
    "NOFORN",
    "NOCONTRACT",
    "ORCON",
    "PROPIN",
    "IMCON",
    "RELIDO",
    "EXDIS",
    "NODIS",
    "LIMDIS",
    "STADIS",
)
_CONTROL_ACRONYM = re.compile(f"(?:{'|'.join(ACRONYMS)})(?![A-Za-z0-9])")

#: Control phrases in lower-cased text, words apart by any white space: one row per
#: pattern, each tried only where its key word (one word of every phrase in it) occurs.
PHRASES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("unclassified", (("sensitive", "but", "unclassified"),)),
    ("official", (("for", "official", "use", "only"), ("limited", "official", "use"))),
    ("enforcement", (("law", "enforcement", "sensitive"),)),
    ("controlled", (("controlled", "unclassified", "information"),)),
    ("security", (("sensitive", "security", "information"),)),
    ("releasable", (("not", "releasable", "to", "foreign", "nationals"),)),
)
_CONTROL_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (hint, re.compile("|".join(r"\s+".join(words) for words in phrases)))
    for hint, phrases in PHRASES
)


def _control_name(word: str) -> str:
    return CONTROLLED.get(word) or RESTRICTING.get(word, word)


def control_acronyms(masked: str) -> list[tuple[int, int, str]]:
    """Every control acronym standing as a word. One pattern: sixteen ``str.find`` scans
    of a text cost more than one scan of the pattern."""
    hits: list[tuple[int, int, str]] = []
    for match in _CONTROL_ACRONYM.finditer(masked):
        start = match.start()
        if start and masked[start - 1].isalnum():
            continue
        hits.append((start, match.end(), _control_name(match.group())))
    return hits


def control_phrases_by_pattern(lower: str) -> list[tuple[int, int, str]]:
    """Every control phrase, by row, each row in text order: the reference reading."""
    hits: list[tuple[int, int, str]] = []
    for hint, pattern in _CONTROL_PHRASES:
        if hint in lower:
            for match in pattern.finditer(lower):
                hits.append((match.start(), match.end(), _phrase_name(match.group())))
    return hits


def control_phrases(lower: str) -> list[tuple[int, int, str]]:
    """What :func:`control_phrases_by_pattern` finds, trying each row's pattern only where
    one of its phrases could start.

    Every phrase of a row holds the row's key word, so a start is found from each place
    the key word stands: the white space before it, the word before that, and so on
    (a text without the key word costs one ``str.find``, as the reference's check does).
    Every match starts at such a place, so trying the pattern at these places in order,
    from the end of the last match on, is what ``finditer`` does.
    """
    hits: list[tuple[int, int, str]] = []
    for (hint, pattern), (_, phrases) in zip(_CONTROL_PHRASES, PHRASES, strict=True):
        starts = sorted(
            {start for words in phrases for start in _phrase_starts(lower, words, hint)}
        )
        cursor = 0
        for start in starts:
            if start < cursor:
                continue
            match = pattern.match(lower, start)
            if match is not None:
                hits.append((start, match.end(), _phrase_name(match.group())))
                cursor = match.end()
    return hits


def _phrase_starts(lower: str, words: tuple[str, ...], key: str) -> Iterator[int]:
    """Where ``words`` (apart by white space) would start, for each place ``key``, one of
    them, stands with the words before it in place: a superset of where they match."""
    before = words[: words.index(key)][::-1]
    found = lower.find(key)
    while found >= 0:
        start = _walk_back(lower, before, found)
        if start >= 0:
            yield start
        found = lower.find(key, found + 1)


def _walk_back(lower: str, words: tuple[str, ...], start: int) -> int:
    """Back from ``start`` over white space and each of ``words`` in turn; -1 if one is
    not there."""
    for word in words:
        end = start
        while end > 0 and lower[end - 1].isspace():
            end -= 1
        if end == start or not lower.endswith(word, 0, end):
            return -1
        start = end - len(word)
    return start


def _phrase_name(matched: str) -> str:
    word = " ".join(matched.upper().split())
    return CONTROLLED.get(word) or RESTRICTING[word]
