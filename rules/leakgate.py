"""The leak gate: the last line of defence before a release leaves the pipeline.

It looks for distinctive runs of words from withheld text in the rendered
output: every run of 8 words of a withheld segment or span (or the whole of a
shorter one of at least 2 words) that does not also occur in the released
text must be absent from the output, after folding case, whitespace and
line-end hyphenation. A hit refuses the release with an error that names the
segment id, never its text. Renderers are not trusted: the gate reads what
they produced (for PDF, the text extracted back out of the file).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator

from declass.rules import deadline
from declass.rules.errors import LeakError, RequestError
from declass.rules.exemptions import ExemptionError
from declass.rules.release import Decision, Release, SpanRedaction

RUN = 8
MIN_RUN = 2
#: Line-end hyphenation: the definition :func:`join_hyphens` undoes (tests compare them).
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")
_LINE_END_HYPHEN = re.compile(r"-[ \t]*\n")
#: PDFium reads a line-end hyphen as this noncharacter and runs the two lines together
#: (``juris\ufffediction``): the gate reads it as the hyphen and line break it stands
#: for, so that the word is joined as in the text it came from.
PDFIUM_HYPHEN = "\ufffe"
_WORD = re.compile(r"\w+")
#: Punctuation outside ASCII that cables carry (the pilcrow, typographic quotes and
#: dashes): none is a word character, so it may become a space before the ASCII path.
_PUNCTUATION = "¶§–—‘’“”•·…\u00a0"
#: Bytes -> lower-case word bytes, every other ASCII byte a space (``\w`` in ASCII).
_ASCII_WORDS = bytes(
    ord(c.lower()) if c.isascii() and (c.isalnum() or c == "_") else 32
    for c in map(chr, range(128))
) + bytes(range(128, 256))

#: What a renderer writes in place of a withheld body, and of a span redaction.
Placeholder = Callable[[Decision], str]
SpanMark = Callable[[SpanRedaction], str]


def fold(text: str) -> list[str]:
    """Words of ``text`` with case folded and line-end hyphenation undone (PDFium's
    U+FFFE included).

    The same words as ``\\w+`` over the case-folded text; a text that is ASCII
    once its usual punctuation is set aside (nearly every cable) is split by
    one byte translation instead of the regular expression, about 4x faster.
    """
    if PDFIUM_HYPHEN in text:
        text = text.replace(PDFIUM_HYPHEN, "-\n")
    if _LINE_END_HYPHEN.search(text) is not None:
        text = join_hyphens(text)
    plain = text
    for mark in _PUNCTUATION:
        if mark in plain:
            plain = plain.replace(mark, " ")
    if plain.isascii():
        return plain.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _WORD.findall(text.casefold())


def join_hyphens(text: str) -> str:
    """``_HYPHEN_BREAK.sub(r"\\1\\2", text)``, from the line-end hyphens alone.

    The pattern opens with ``\\w``, so ``sub`` tried it at every letter of the text; the
    hyphens it needs are found with a pattern that opens with ``-``. Each is kept as
    ``sub`` would: a word character before it that no earlier join consumed (``\\w`` is
    ``isalnum`` or ``_``), and one after the white space that follows its line break
    (``\\s`` is ``isspace``).
    """
    pieces: list[str] = []
    cursor = consumed = 0
    length = len(text)
    for match in _LINE_END_HYPHEN.finditer(text):
        hyphen = match.start()
        if hyphen - 1 < consumed or not _is_word(text[hyphen - 1]):
            continue
        after = match.end()
        while after < length and text[after].isspace():
            after += 1
        if after == length or not _is_word(text[after]):
            continue
        pieces.append(text[cursor:hyphen])
        cursor, consumed = after, after + 1
    if not pieces:
        return text
    pieces.append(text[cursor:])
    return "".join(pieces)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def check_release(
    output: str,
    release: Release,
    text: str,
    generated: str = "",
    *,
    placeholder: Placeholder | None = None,
    span_mark: SpanMark | None = None,
) -> None:
    """Raise :class:`LeakError` if ``output`` carries a distinctive run of withheld text.

    ``generated`` is what the renderer writes from the model rather than from
    the text (the release banner and stamp: markings, dates, policy; the
    decisions' classification reasons); runs of it are allowed, so that a
    redacted caption does not trip on the stamp. ``placeholder`` and
    ``span_mark`` say what stands where withheld text stood: generated too, so
    a run that reads across a placeholder into the next label is allowed.
    """
    sized = [
        (segment_id, words, RUN if len(words) >= RUN else len(words))
        for segment_id, words in _withheld(release, text)
    ]
    sized = [piece for piece in sized if piece[2] >= MIN_RUN]
    if not sized:
        return
    # The sizes in document order; the runs built in C, in reverse, so that a run
    # withheld in two places names the first segment that holds it.
    runs: dict[int, dict[tuple[str, ...], str]] = {size: {} for _, _, size in sized}
    for segment_id, words, size in deadline.each(reversed(sized)):
        runs[size].update(dict.fromkeys(_grams(words, size), segment_id))
    out_words = fold(output)
    for size, grams in runs.items():
        hits = grams.keys() & _grams(out_words, size)
        if not hits:
            continue  # the usual case: no run of withheld words in the output at all
        released_text = _released_text(release, text, placeholder, span_mark)
        released = [*fold(released_text), "\x00", *fold(_with_reasons(release, generated))]
        hits.difference_update(_grams(released, size))
        leaked = sorted(grams[gram] for gram in hits)
        if leaked:
            raise LeakError(f"leak gate: withheld text of segment {leaked[0]} found in the output")


def _with_reasons(release: Release, generated: str) -> str:
    """``generated`` and the classification reasons: codes the parser writes (1.5(b)) that
    every withholding prints as its basis, even when a reviewer redacted them where they
    stand."""
    reasons = {reason for decision in release.decisions for reason in decision.reasons}
    if release.document.classified_by is not None:
        reasons.update(release.document.classified_by.reasons)
    return "\n".join([generated, *sorted(reasons)])


def _grams(words: list[str], size: int) -> Iterator[tuple[str, ...]]:
    """Every run of ``size`` consecutive words, one at a time (zip builds them in C): the
    output's runs are tested as they come, never held, which was most of a release's memory."""
    return zip(*(words[i:] for i in range(size)), strict=False)


def _withheld(release: Release, text: str) -> list[tuple[str, list[str]]]:
    """Withheld pieces in document order: (segment id, words)."""
    spans_by_segment: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for span in release.spans:
        spans_by_segment[span.segment].append((span.start, span.end))
    withheld: list[tuple[str, list[str]]] = []
    for segment, decision in zip(release.document.segments, release.decisions, strict=True):
        if decision.action != "release":
            withheld.append((segment.id, fold(text[segment.body_start : segment.end])))
            continue
        for start, end in sorted(spans_by_segment.get(segment.id, [])):
            withheld.append((segment.id, fold(text[start:end])))
    return withheld


def _released_text(
    release: Release, text: str, placeholder: Placeholder | None, span_mark: SpanMark | None
) -> str:
    """Everything released, in order, with the stand-ins where withheld text stood."""
    spans_by_segment: dict[str, list[SpanRedaction]] = defaultdict(list)
    for span in release.spans:
        spans_by_segment[span.segment].append(span)
    parts: list[str] = []
    for segment, decision in zip(release.document.segments, release.decisions, strict=True):
        if decision.action != "release":
            parts.append(text[segment.start : segment.body_start])
            if placeholder is not None and text[segment.body_start : segment.end].strip():
                parts.append(placeholder(decision))
            continue
        cursor = segment.start
        for span in sorted(spans_by_segment[segment.id], key=lambda s: (s.start, s.end)):
            parts.append(text[cursor : span.start])
            if span_mark is not None:
                parts.append(span_mark(span))
            cursor = span.end
        parts.append(text[cursor : segment.end])
    return "\n".join(parts)


def check_labels(release: Release, text: str, labels: dict[str, str]) -> None:
    """Raise :class:`ExemptionError` when a label a release prints repeats withheld text.

    ``labels`` maps each label outside FOIA's to the request field that chose it
    (a policy's own list may hold any short text). The label would reach the
    output, where the gate would refuse the whole release as a leak; it is the
    request that is wrong, so the request is refused, naming the field.
    """
    for label, field in labels.items():
        try:
            check_release(label, release, text)
        except LeakError:
            raise ExemptionError(
                f"{field}: the exemption label repeats withheld text; choose another label",
                field=field,
            ) from None


def check_remarks(release: Release, text: str, remarks: dict[str, str]) -> None:
    """Raise :class:`RequestError` when a reviewer's free text (an override's reason or
    name, by request field) repeats withheld text.

    The withholding log prints reasons and names, so such a remark would have the
    whole release refused as a leak; it is the request that is wrong, so it is refused,
    naming the field. One pass reads every remark; only when it hits is each read alone
    (two remarks side by side can make a run that neither holds).
    """
    given = {field: remark for field, remark in remarks.items() if remark.strip()}
    try:
        check_release("\n".join(given.values()), release, text)
        return
    except LeakError:
        pass
    for field, remark in given.items():
        try:
            check_release(remark, release, text)
        except LeakError:
            raise RequestError(
                f"{field}: it repeats withheld text of the document; write it without quoting",
                field=field,
            ) from None
