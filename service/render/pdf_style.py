"""The look and the geometry of the PDF release, as data.

Styles are built by a function so the look is changed in one place; the
geometry makes the text column a whole number of Courier characters, which
is what lets :mod:`declass.service.render.pdf_layout` wrap in columns rather than points.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth

from declass.rules.errors import RequestError

PAGE_SIZES: dict[str, tuple[float, float]] = {"letter": LETTER, "a4": A4}
MARGIN = 54.0  # 3/4 inch on every side
COURIER_ADVANCE = 0.6  # every Courier glyph is 600/1000 em wide


@dataclass(frozen=True)
class Styles:
    """Fonts, sizes and colours of the release: data, so the look is changed in one place."""

    body_font: str
    label_font: str
    body_size: float
    leading: float
    label_size: float
    marking_font: str
    marking_size: float
    footer_font: str
    footer_size: float
    stamp_size: float
    stamp_leading: float
    ink: colors.Color
    box: colors.Color
    on_box: colors.Color

    @property
    def char(self) -> float:
        """The width of one column of body text, in points."""
        return self.body_size * COURIER_ADVANCE


def build_styles() -> Styles:
    """The house style: Courier 9 on 11 like a teletype page, black boxes, white labels."""
    return Styles(
        body_font="Courier",
        label_font="Courier-Bold",
        body_size=9,
        leading=11,
        label_size=8,
        marking_font="Helvetica-Bold",
        marking_size=11,
        footer_font="Helvetica",
        footer_size=8,
        stamp_size=8,
        stamp_leading=10,
        ink=colors.black,
        box=colors.black,
        on_box=colors.white,
    )


@dataclass(frozen=True)
class Geometry:
    """Where things go on a page of one size; the text column is a whole number of characters."""

    pagesize: tuple[float, float]
    columns: int
    left: float
    top: float
    first_rows: int
    later_rows: int
    stamp_height: float


def page_geometry(page_size: str, styles: Styles, stamp_lines: int = 4) -> Geometry:
    """The geometry for ``letter`` or ``a4``; anything else is a bad request. The stamp
    box holds ``stamp_lines`` lines (more when a draft or a reviewer's work is stated)."""
    size = PAGE_SIZES.get(page_size.lower())
    if size is None:
        raise RequestError(f"page size must be one of {sorted(PAGE_SIZES)}, not '{page_size}'")
    width, height = size
    columns = int((width - 2 * MARGIN) // styles.char)
    top = height - MARGIN
    usable = top - MARGIN
    stamp_height = max(4, stamp_lines) * styles.stamp_leading + 8
    return Geometry(
        pagesize=size,
        columns=columns,
        left=(width - columns * styles.char) / 2,
        top=top,
        first_rows=int((usable - stamp_height - styles.leading) // styles.leading),
        later_rows=int(usable // styles.leading),
        stamp_height=stamp_height,
    )


def fit(text: str, font: str, size: float, room: float) -> float:
    """``size``, or smaller so that ``text`` fits in ``room`` points (never below 4)."""
    width = stringWidth(text, font, size)
    return size if width <= room else max(4.0, size * room / width)
