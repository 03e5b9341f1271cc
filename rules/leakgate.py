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
from collections.abc import Iterator

from declass.rules import deadline
from declass.rules.errors import LeakError, RequestError
from declass.rules.exemptions import ExemptionError
from declass.rules.release import Release

RUN = 8
MIN_RUN = 2
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")
_WORD = re.compile(r"\w+")


def fold(text: str) -> list[str]:
    """Words of ``text`` with case folded and line-end hyphenation undone."""
    return _WORD.findall(_HYPHEN_BREAK.sub(r"\1\2", text).casefold())


def check_release(output: str, release: Release, text: str, generated: str = "") -> None:
    """Raise :class:`LeakError` if ``output`` carries a distinctive run of withheld text.

    ``generated`` is what the renderer writes from the model rather than from
    the text (the release banner and stamp: markings, dates, policy; the
    decisions' classification reasons); runs of it are allowed, so that a
    redacted caption does not trip on the stamp.
    """
    withheld, released_text = _pieces(release, text)
    # Classification reasons are codes the parser writes (1.5(b)); every withholding
    # prints them as its basis, even when a reviewer redacted them where they stand.
    reasons = {reason for decision in release.decisions for reason in decision.reasons}
    if release.document.classified_by is not None:
        reasons.update(release.document.classified_by.reasons)
    generated = "\n".join([generated, *sorted(reasons)])
    runs: dict[int, dict[tuple[str, ...], str]] = defaultdict(dict)
    for segment_id, words in deadline.each(withheld):
        size = RUN if len(words) >= RUN else len(words)
        if size < MIN_RUN:
            continue
        for gram in _grams(words, size):
            runs[size].setdefault(gram, segment_id)
    if not runs:
        return
    out_words = fold(output)
    for size, grams in runs.items():
        hits = {gram for gram in _grams(out_words, size) if gram in grams}
        if not hits:
            continue  # the usual case: no run of withheld words in the output at all
        released = [*fold(released_text), "\x00", *fold(generated)]
        allowed = set(_grams(released, size))
        leaked = sorted(grams[gram] for gram in hits - allowed)
        if leaked:
            raise LeakError(f"leak gate: withheld text of segment {leaked[0]} found in the output")


def _grams(words: list[str], size: int) -> Iterator[tuple[str, ...]]:
    """Every run of ``size`` consecutive words, one at a time (zip builds them in C): the
    output's runs are tested as they come, never held, which was most of a release's memory."""
    return zip(*(words[i:] for i in range(size)), strict=False)


def _pieces(release: Release, text: str) -> tuple[list[tuple[str, list[str]]], str]:
    """Withheld pieces (segment id, words) and the text of everything released."""
    spans_by_segment: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for span in release.spans:
        spans_by_segment[span.segment].append((span.start, span.end))
    withheld: list[tuple[str, list[str]]] = []
    released_parts: list[str] = []
    for segment, decision in zip(release.document.segments, release.decisions, strict=True):
        if decision.action != "release":
            withheld.append((segment.id, fold(text[segment.body_start : segment.end])))
            released_parts.append(text[segment.start : segment.body_start])
            continue
        cursor = segment.start
        for start, end in sorted(spans_by_segment.get(segment.id, [])):
            released_parts.append(text[cursor:start])
            withheld.append((segment.id, fold(text[start:end])))
            cursor = end
        released_parts.append(text[cursor : segment.end])
    return withheld, "\n".join(released_parts)


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
