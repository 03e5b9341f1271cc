"""Release -> text: the original layout, line for line, for everything released.

A withheld segment keeps its paragraph label and marking and becomes one
placeholder line saying how many lines were withheld and why — never the
length of its words. A span redaction becomes a fixed-width mark such as
``[(b)(6)]`` whatever it hides. Banner lines are rewritten to the released
marking, and the release opens with the new banner and a release stamp (a
draft opens with its DRAFT line before them). A segment a reviewer released
ends with ``[released on review: NAME]``. The
pieces and the strings come from :mod:`declass.service.render.pieces`, which
the PDF renderer reads too.
"""

from __future__ import annotations

from declass.rules.release import Release, SpanRedaction
from declass.service.render.pieces import (
    ReviewMark,
    draft_line,
    placeholder,
    release_stamp,
    released_pieces,
    span_mark,
)


def render_text(release: Release, text: str) -> str:
    """The released text of ``text`` under ``release``; a draft opens with its DRAFT line."""
    draft = draft_line(release)
    parts = [draft, "\n"] if draft else []
    parts += [release.summary.marking, "\n", release_stamp(release), "\n\n"]
    for piece in released_pieces(release, text):
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, ReviewMark):
            parts.append(piece.text)
        elif isinstance(piece, SpanRedaction):
            parts.append(span_mark(piece))
        else:
            parts.append(placeholder(piece.decision))
    body = "".join(parts)
    if not body.endswith("\n"):
        body += "\n"
    return f"{body}\n{release.summary.marking}\n"
