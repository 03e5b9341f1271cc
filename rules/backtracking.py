"""Which reviewer patterns could backtrack without bound: refused before they run.

Python's ``re`` backtracks, cannot be interrupted from another thread and
holds the interpreter while it matches, so a pattern that backtracks
exponentially (``(a+)+$``) or with a high polynomial degree (``.*.*.*=``,
``a{1,30}a{1,30}a{1,30}$``) stalls a worker on a modest text. The check reads
the pattern's parse tree (the standard library's own ``re._parser``, so
groups nest correctly) and refuses:

- repetition of anything that is not of fixed width (``(a+)+``, ``(a|b)+``,
  ``(a?){30}``): nested repetition, alternation under repetition;
- a variable repetition that can match a character an earlier variable
  repetition can still take (``\\w+\\w+``, ``a*a*``, ``\\S+@\\S+``): a
  repetition stays "open" until a mandatory character it cannot match follows
  it, as the space in ``\\w+ \\w+`` does;
- a repetition followed by more pattern when a match can start inside the run
  it takes (``\\w+\\s``, ``[a-z]+\\d``, ``x.*y``): every start in a run of
  30,000 letters gives the run back a letter at a time, which is quadratic.
  A leading ``\\b`` or negative lookbehind that rules such starts out
  (``\\b[a-z]+\\d``), or a repetition that ends the pattern
  (``Velmoria\\w*``), is fine;
- back-references and conditionals, and repetition inside a lookaround.

What is accepted scans each run of text a bounded number of times, so its
cost grows linearly with the text (as far as this analysis sees: character
sets are compared on probe characters, an approximation). The tests run a
battery of known catastrophic patterns and everyday ones against
30,000-character adversarial texts (tests/test_denial_of_service.py).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

REPEATS = frozenset({_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)})
#: Characters tried (besides those a pattern names) to see whether two sets meet.
PROBES = "aAzZ09_ \t\n\r\x00!-.,:;@/#'\"()éßİ\u00a0\u2028\u0660\u4e00"
CATEGORIES: dict[str, re.Pattern[str]] = {
    "CATEGORY_DIGIT": re.compile(r"\d"),
    "CATEGORY_NOT_DIGIT": re.compile(r"\D"),
    "CATEGORY_SPACE": re.compile(r"\s"),
    "CATEGORY_NOT_SPACE": re.compile(r"\S"),
    "CATEGORY_WORD": re.compile(r"\w"),
    "CATEGORY_NOT_WORD": re.compile(r"\W"),
    "CATEGORY_LINEBREAK": re.compile(r"\n"),
    "CATEGORY_NOT_LINEBREAK": re.compile(r"[^\n]"),
}


class Refused(Exception):
    """The pattern could backtrack without bound; the message says why (no text in it)."""


@dataclass(frozen=True)
class CharSet:
    """The characters one element can match, as a test plus the characters it names."""

    test: Callable[[str], bool]
    named: frozenset[str]

    def meets(self, other: CharSet) -> bool:
        return any(self.test(c) and other.test(c) for c in {*PROBES, *self.named, *other.named})


def check_backtracking(pattern: str, flags: int = 0) -> None:
    """Raise :class:`Refused` when ``pattern`` (already known to compile) is unsafe to run."""
    parsed = _parser.parse(pattern, flags)
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    scan = _Scan(ignore_case, bool(parsed.state.flags & re.DOTALL), ANYTHING, None)
    first, guard = scan.first_of(list(parsed.data))
    _Scan(scan.ignore_case, scan.dotall, first, guard).run(parsed.data, [], tail=False)


ANYTHING = CharSet(lambda c: True, frozenset())


@dataclass(frozen=True)
class _Scan:
    """One walk over the tree. ``first``: what the first character of a match can be;
    ``guard``: a set the character before a match start cannot be in (from a leading
    ``\\b`` or negative lookbehind), or None."""

    ignore_case: bool
    dotall: bool
    first: CharSet
    guard: CharSet | None

    def run(
        self, items: Iterable[tuple[Any, Any]], open_sets: list[CharSet], *, tail: bool
    ) -> list[CharSet]:
        """Walk a sequence; return the repetitions still open after it. ``tail``: whether
        anything follows the sequence in the pattern."""
        items = list(items)
        for index, (op, av) in enumerate(items):
            followed = tail or index < len(items) - 1
            if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
                chars = self.charset(op, av)
                open_sets = [o for o in open_sets if o.meets(chars)]
            elif op == _c.SUBPATTERN:
                _, add, _, body = av
                scan = _Scan(
                    self.ignore_case or bool(add & re.IGNORECASE),
                    self.dotall or bool(add & re.DOTALL),
                    self.first,
                    self.guard,
                )
                open_sets = scan.run(body.data, open_sets, tail=followed)
            elif op == _c.BRANCH:
                ends = [self.run(alt.data, list(open_sets), tail=followed) for alt in av[1]]
                open_sets = list({id(o): o for end in ends for o in end}.values())
            elif op in REPEATS:
                open_sets = self.repeat(av, open_sets, followed)
            elif op == getattr(_c, "ATOMIC_GROUP", None):
                open_sets = self.run(av.data, open_sets, tail=followed)
            elif op in (_c.ASSERT, _c.ASSERT_NOT):
                if _is_variable(av[1].data):
                    raise Refused("repetition inside a lookaround")
            elif op in (_c.GROUPREF, _c.GROUPREF_EXISTS):
                raise Refused("back-references and conditionals")
            elif op != _c.AT:
                raise Refused(f"unsupported construct {op}")
        return open_sets

    def repeat(
        self, av: tuple[int, int, Any], open_sets: list[CharSet], followed: bool
    ) -> list[CharSet]:
        low, high, body = av
        if high == 0:
            return open_sets
        if high > 1 and _is_variable(body.data):
            raise Refused("nested repetition or alternation under repetition")
        if low == high:
            return self.run(body.data, open_sets, tail=followed or high > 1)
        chars = self.union(body.data)
        if any(o.meets(chars) for o in open_sets):
            raise Refused("two repetitions can match the same text")
        if followed and self.first.meets(chars) and not self.guarded(chars):
            # A match can start at every character of a run this repetition takes, and
            # each start gives the run back a character at a time: quadratic in the run.
            raise Refused(
                "a repetition followed by more pattern can start anywhere in the run it takes "
                "(anchor it: \\b or a lookbehind in front, or end the pattern with it)"
            )
        if low >= 1:
            open_sets = [o for o in open_sets if o.meets(chars)]
        return [*open_sets, chars]

    def guarded(self, chars: CharSet) -> bool:
        """No match starts inside a run of ``chars`` when the character before a start
        must lie outside ``guard`` and every character of ``chars`` lies inside it."""
        guard = self.guard
        if guard is None:
            return False
        probes = {*PROBES, *chars.named, *guard.named}
        return all(guard.test(c) for c in probes if chars.test(c))

    def first_of(self, items: list[tuple[Any, Any]]) -> tuple[CharSet, CharSet | None]:
        """The set of a match's first character and the guard in front of it (if any)."""
        guard = None
        for op, av in items:
            if op == _c.AT and str(av) == "AT_BOUNDARY":
                guard = self.charset(_c.IN, [(_c.CATEGORY, _c.CATEGORY_WORD)])
            elif op == _c.ASSERT_NOT and av[0] == -1 and len(av[1].data) == 1:
                inner_op, inner_av = av[1].data[0]
                if inner_op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
                    guard = self.charset(inner_op, inner_av)
            elif op != _c.AT:
                return self.first_char(op, av), guard
        return ANYTHING, guard

    def first_char(self, op: Any, av: Any) -> CharSet:
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
            return self.charset(op, av)
        if op in REPEATS and av[0] >= 1:
            return self.union(av[2].data)
        if op == _c.SUBPATTERN and av[3].data and av[3].data[0][0] != _c.AT:
            return self.first_char(*av[3].data[0])
        if op == _c.BRANCH and all(alt.data and alt.data[0][0] != _c.AT for alt in av[1]):
            firsts = [self.first_char(*alt.data[0]) for alt in av[1]]
            named = frozenset(c for f in firsts for c in f.named)
            return CharSet(lambda c: any(f.test(c) for f in firsts), named)
        return ANYTHING

    def union(self, items: Iterable[tuple[Any, Any]]) -> CharSet:
        """Every character a fixed-width body could match."""
        sets: list[CharSet] = []
        for op, av in items:
            if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
                sets.append(self.charset(op, av))
            elif op == _c.SUBPATTERN:
                sets.append(self.union(av[3].data))
            elif op in REPEATS:
                sets.append(self.union(av[2].data))
        named = frozenset(c for s in sets for c in s.named)
        return CharSet(lambda c: any(s.test(c) for s in sets), named)

    def charset(self, op: Any, av: Any) -> CharSet:
        test, named = _element(op, av, self.dotall)
        if not self.ignore_case:
            return CharSet(test, named)
        return CharSet(lambda c: any(test(v) for v in _cases(c)), named)


def _element(op: Any, av: Any, dotall: bool) -> tuple[Callable[[str], bool], frozenset[str]]:
    if op == _c.LITERAL:
        return (lambda c: ord(c) == av), frozenset({chr(av)})
    if op == _c.NOT_LITERAL:
        return (lambda c: ord(c) != av), frozenset({chr(av)})
    if op == _c.ANY:
        return (lambda c: dotall or c != "\n"), frozenset()
    negate = any(item_op == _c.NEGATE for item_op, _ in av)
    tests: list[Callable[[str], bool]] = []
    named: set[str] = set()
    for item_op, item in av:
        if item_op == _c.LITERAL:
            tests.append(_between(item, item))
            named.add(chr(item))
        elif item_op == _c.RANGE:
            low, high = item
            tests.append(_between(low, high))
            named.update({chr(low), chr(high), chr((low + high) // 2)})
        elif item_op == _c.CATEGORY:
            category = CATEGORIES.get(str(item))
            tests.append(_matcher(category) if category is not None else _between(0, 0x10FFFF))
    return (lambda c: negate != any(t(c) for t in tests)), frozenset(named)


def _between(low: int, high: int) -> Callable[[str], bool]:
    return lambda c: low <= ord(c) <= high


def _cases(c: str) -> set[str]:
    """``c`` and its other cases that are single characters (``ß``.upper() is ``SS``)."""
    return {v for v in (c, c.lower(), c.upper(), c.casefold()) if len(v) == 1}


def _matcher(category: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda c: category.match(c) is not None


def _is_variable(items: Iterable[tuple[Any, Any]]) -> bool:
    """Whether a body can match texts of different lengths (or choose between branches)."""
    for op, av in items:
        if op == _c.BRANCH or op in (_c.GROUPREF, _c.GROUPREF_EXISTS):
            return True
        if op in REPEATS and (av[0] != av[1] or _is_variable(av[2].data)):
            return True
        if op == _c.SUBPATTERN and _is_variable(av[3].data):
            return True
        if op == getattr(_c, "ATOMIC_GROUP", None) and _is_variable(av.data):
            return True
        if op in (_c.ASSERT, _c.ASSERT_NOT) and _is_variable(av[1].data):
            return True
    return False
