"""Reviewer patterns, run on RE2: linear in the text by construction.

Python's ``re`` backtracks: ``(a+)+$``, ``a{1000}b`` or ``[ab]*[ac]*d``
take quadratic or exponential time on a modest text, and a check of the
pattern's shape cannot tell every slow one from a fast one. RE2 runs an
automaton instead, so every pattern it accepts matches in time linear in the
text. What it cannot express — lookahead, lookbehind, back-references,
possessive and atomic groups, conditionals — is refused as unsupported, and a
repetition or program too large for it (``a{4294967295}``, a compiled form
past :data:`MAX_MEM`) as too large: both are the caller's error, never a
crash.

Python spellings keep their Python meaning: ``\\w``, ``\\d`` and ``\\s`` are
Unicode classes as in ``re`` (RE2's own are ASCII, and names are not), and
``\\Z`` is RE2's ``\\z``. ``\\b`` and the negated classes inside brackets
(``[\\W]``) keep RE2's ASCII meaning, which matches more, never less, of a
non-ASCII name. Match offsets are code points, as for ``re``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

import re2

from declass.rules.errors import RequestError

#: Memory for one pattern's automaton: enough for RE2's fast DFA on repetitions of a
#: thousand (at 8 MiB ``(a{1000})*b`` fell back to the slower NFA, still linear).
MAX_MEM = 32 << 20
#: The largest count RE2 allows in ``{n,m}``; larger counts are refused by name.
MAX_REPEAT = 1000

_UNICODE_CLASSES = {
    "w": r"\p{L}\p{N}_",
    "d": r"\p{Nd}",
    "s": r"\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}",
}
_COUNT = re.compile(r"\{(\d+)(?:,(\d*))?\}")
_UNSUPPORTED = (
    "lookahead, lookbehind, back-references, possessive or atomic groups, conditionals "
    "and inline flags other than i, m, s and U are not supported (patterns run on RE2, "
    "in time linear in the text)"
)


class Match(Protocol):
    def start(self) -> int: ...

    def end(self) -> int: ...


class Finder(Protocol):
    """A compiled pattern: RE2's, or ``re``'s for the phrases declass writes itself."""

    def finditer(self, text: str) -> Iterator[Match]: ...


class PatternError(RequestError):
    """A reviewer pattern RE2 cannot run: unsupported, too large or invalid.

    The message names the request and the kind of problem, never the pattern,
    which may hold the very name the reviewer wants withheld.
    """

    def __init__(self, message: str, code: str, field: str) -> None:
        super().__init__(message, field=field)
        self.code = code


def compile_pattern(pattern: str, ignore_case: bool, request: int = 0) -> Finder:
    """The reviewer's pattern compiled for RE2, or a :class:`PatternError`."""
    where = f"redactions.{request}.pattern"
    translated = translate(pattern, request)
    options = re2.Options()
    options.log_errors = False  # RE2 would write the pattern to standard error
    options.max_mem = MAX_MEM
    options.case_sensitive = not ignore_case
    try:
        compiled: Finder = re2.compile(translated, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise _refusal(text, request, where) from None
    return compiled


def translate(pattern: str, request: int = 0) -> str:
    """``pattern`` in RE2 syntax with Python's Unicode classes; counts past RE2's limit
    refused (RE2 reads ``{4294967295}`` as a count that wraps around)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escape, i = _escape(pattern, i)
            out.append(_unicode(escape, in_class))
            continue
        if in_class:
            if char == "[" and pattern.startswith("[:", i):  # a POSIX class such as [:alpha:]
                end = pattern.find(":]", i + 2)
                if end != -1:
                    out.append(pattern[i : end + 2])
                    i = end + 2
                    continue
            in_class = char != "]"
        elif char == "[":
            in_class = True
            opening = 2 if pattern.startswith("[^", i) else 1
            if pattern.startswith("]", i + opening):  # a ']' first in a class is literal
                out.append(pattern[i : i + opening + 1])
                i += opening + 1
                continue
        elif char == "{":
            _check_count(pattern, i, request)
        out.append(char)
        i += 1
    return "".join(out)


def _escape(pattern: str, i: int) -> tuple[str, int]:
    """The escape at ``i`` (``\\w``, ``\\p{Greek}``, ``\\x{41}``, ``\\Q...\\E``) and
    where the pattern goes on after it."""
    letter = pattern[i + 1]
    if letter in "pPx" and pattern.startswith("{", i + 2):
        end = pattern.find("}", i + 2)
        end = len(pattern) - 1 if end == -1 else end
        return pattern[i : end + 1], end + 1
    if letter == "Q":
        end = pattern.find("\\E", i + 2)
        end = len(pattern) if end == -1 else end + 2
        return pattern[i:end], end
    return pattern[i : i + 2], i + 2


def _unicode(escape: str, in_class: bool) -> str:
    """Python's meaning of a class escape (RE2's ``\\w``, ``\\d``, ``\\s`` are ASCII)."""
    letter = escape[1:]
    if letter == "Z":
        return r"\z"
    inner = _UNICODE_CLASSES.get(letter.lower()) if len(letter) == 1 else None
    if inner is None:
        return escape
    if letter.islower():
        return inner if in_class else f"[{inner}]"
    return escape if in_class else f"[^{inner}]"


def _check_count(pattern: str, i: int, request: int) -> None:
    count = _COUNT.match(pattern, i)
    if count is None:
        return
    numbers = [int(n) for n in count.groups() if n]
    if any(n > MAX_REPEAT for n in numbers):
        raise PatternError(
            f"redaction {request}: pattern too large (a repetition count past {MAX_REPEAT})",
            "pattern-too-large",
            f"redactions.{request}.pattern",
        )


def _refusal(reason: str, request: int, where: str) -> PatternError:
    """RE2's error as a refusal of our own words: its message quotes the pattern."""
    if reason.startswith(("invalid repetition size", "pattern too large")):
        return PatternError(
            f"redaction {request}: pattern too large for a linear-time match (repetitions "
            f"multiply: at most {MAX_REPEAT} in all, and a bounded compiled size)",
            "pattern-too-large",
            where,
        )
    if reason.startswith(("invalid perl operator", "bad repetition operator", "invalid escape")):
        return PatternError(
            f"redaction {request}: pattern unsupported: {_UNSUPPORTED}",
            "pattern-unsupported",
            where,
        )
    kind = reason.split(":", 1)[0].strip(" b'\"")
    return PatternError(f"redaction {request}: invalid pattern ({kind})", "invalid-request", where)
