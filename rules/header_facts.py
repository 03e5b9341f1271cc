"""What the document says about itself as a whole, found while reading its lines.

The readers write these facts; assembly (rules/assemble.py) reads them with
the block list to build the :class:`Document` and its problems. They live
apart from the cursor so that assembly depends on what was found, never on
how far the reading got. Indices point into the block list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from declass.rules.banner import BannerLine
from declass.rules.model import Marking


@dataclass
class HeaderFacts:
    """Banners, instructions, authority blocks, captions and routing levels.

    ``entire_text`` is the marking of a paragraph marked ``ENTIRE TEXT``: it
    governs the unmarked paragraphs after it, so the body reader reads it too.
    """

    banners: list[tuple[BannerLine, int]] = field(default_factory=list)
    decl_lines: list[tuple[str, int]] = field(default_factory=list)
    cb_blocks: list[int] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    routing_levels: list[str] = field(default_factory=list)
    origin: dt.date | None = None
    entire_text: Marking | None = None
