"""The adversarial document set, the reviewer's ground truth for it, and the one oracle.

Every portion of every document in ``tests/data/adversarial`` carries a unique
token (``TKN-S-0702``: the level letter, then document and portion numbers).
``MANIFEST.json`` says, for each token, the marking of the portion it sits in
as a careful human reviewer reads it (``S//NF``, ``U//FOUO``, ``S//REL TO USA,
GBR``), and for each document its banner and its declassification date. That
truth is written by hand from the page, never from what declass outputs, and
:func:`verdict` turns it into what a policy must do with each token
(docs/markings.md 5.2's policy semantics). Both the document sweep and the composing
property test check releases against this one oracle.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pypdf import PdfReader
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from declass.rules.errors import LeakError
from declass.rules.policy import load_policy
from declass.rules.untrusted import Untrusted
from declass.service.pipeline import Format, run
from declass.service.read.pdf import read_pdf as read_pdf_upload

TOKEN = re.compile(r"TKN-[A-Z]-\d{4}")
ADVERSARIAL = Path(__file__).resolve().parent / "data" / "adversarial"
POLICIES = ("public", "partner-gbr-secret")
FORMATS: tuple[Format, ...] = ("text", "json", "pdf")
TODAY = dt.date(2026, 11, 28)
#: An as-of date for documents without a declassification date: long after their origin.
UNDATED_AS_OF = dt.date(2010, 6, 1)
RANK = {"U": 0, "R": 1, "C": 2, "S": 3, "TS": 4}
#: REL TO entries that include the United Kingdom.
PARTNER_RELEASE = frozenset({"GBR", "FVEY", "ACGU", "TEYE", "NATO"})
Verdict = Literal["withhold", "release", "either"]


@dataclass(frozen=True)
class Truth:
    """A portion's marking as a reviewer reads it: level, controls, REL TO list."""

    level: str
    controls: frozenset[str]
    rel_to: frozenset[str]

    @classmethod
    def read(cls, marking: str) -> Truth:
        """``S//NF``, ``U//FOUO``, ``S//REL TO USA, GBR``, ``S//FGI GBR``: level first."""
        level, *parts = marking.split("//")
        if level not in RANK:
            raise ValueError(f"unknown level in {marking!r}")
        controls, rel_to = set(), set()
        for part in parts:
            if part.startswith("REL TO "):
                rel_to |= {country.strip() for country in part[len("REL TO ") :].split(",")}
            else:
                controls.add(part)
        return cls(level, frozenset(controls), frozenset(rel_to))

    @property
    def is_foreign(self) -> bool:
        return any(control.startswith("FGI") for control in self.controls)


@dataclass(frozen=True)
class Portion:
    """One token's portion: what it is marked, or the readings an unmarked one allows."""

    readings: tuple[Truth, ...]
    #: How a composed portion was written (spelling, lead, wrap...), for failure messages.
    traits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One document as the reviewer reads it."""

    name: str
    layout: str
    data: bytes
    banner: Truth | None
    decl: dt.date | None
    tokens: Mapping[str, Portion]
    #: Ranges the PDF reader could not trust the order of (PDF documents only).
    untrusted: tuple[Untrusted, ...] = ()

    @property
    def banner_rank(self) -> int:
        """The banner's level; with no banner, the highest portion (nothing is above it)."""
        if self.banner is not None:
            return RANK[self.banner.level]
        return max(RANK[t.level] for p in self.tokens.values() for t in p.readings)

    def is_declassified(self, as_of: dt.date) -> bool:
        """The document's own named date has come, and it was classified to begin with."""
        return self.decl is not None and self.decl <= as_of and self.banner_rank > 0

    def as_of_dates(self) -> list[dt.date]:
        """Both sides of the declassification date, and today."""
        if self.decl is None:
            return [UNDATED_AS_OF, TODAY]
        dates = {self.decl - dt.timedelta(days=1), self.decl, TODAY}
        return sorted(dates)


def _truth_verdict(truth: Truth, doc: Document, policy: str, as_of: dt.date) -> Verdict:
    declassified = doc.is_declassified(as_of)
    within_banner = RANK[truth.level] <= doc.banner_rank
    if truth.level == "U":
        return "withhold" if truth.controls else "release"
    if declassified and within_banner:
        # A US date does not settle foreign government information: not asserted.
        return "either" if truth.is_foreign else "release"
    partner_ok = (
        truth.level in ("C", "S")
        and within_banner
        and bool(truth.rel_to & PARTNER_RELEASE)
        and not truth.controls
    )
    return "release" if policy == "partner-gbr-secret" and partner_ok else "withhold"


def verdict(portion: Portion, doc: Document, policy: str, as_of: dt.date) -> Verdict:
    """What ``policy`` must do with a token of ``portion`` as of ``as_of``.

    ``withhold`` is asserted (the token must appear nowhere in the output);
    ``release`` only counts towards recall; ``either`` is neither, for portions
    whose reading is honestly open (an unmarked line that could continue its
    neighbour or take the banner).
    """
    found = {_truth_verdict(truth, doc, policy, as_of) for truth in portion.readings}
    return found.pop() if len(found) == 1 else "either"


def load_documents() -> list[Document]:
    """The hand-written adversarial documents with their manifest truth."""
    manifest = json.loads((ADVERSARIAL / "MANIFEST.json").read_text(encoding="utf-8"))
    docs = []
    for entry in manifest["documents"]:
        docs.append(
            Document(
                name=entry["file"].removesuffix(".txt"),
                layout=entry["layout"],
                data=(ADVERSARIAL / entry["file"]).read_bytes(),
                banner=Truth.read(entry["banner"]) if entry["banner"] else None,
                decl=dt.date.fromisoformat(entry["decl"]) if entry["decl"] else None,
                tokens={
                    token: Portion((Truth.read(marking),))
                    for token, marking in entry["tokens"].items()
                },
            )
        )
    return docs


# --- what leaves the pipeline -------------------------------------------------


@dataclass(frozen=True)
class Emitted:
    """A release's output folded for searching; or a refusal; or a crash."""

    text: str = ""
    refused: bool = False
    crash: str | None = None


def fold(text: str) -> str:
    """NFKC, with whitespace and invisible format characters removed, so a token
    broken by a wrapped line, a zero-width space or a width variant is still found."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")


def extract_pdf(data: bytes) -> str:
    """Every page's text and every metadata value, read back with pypdf."""
    reader = PdfReader(io.BytesIO(data))
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]
    return "\n".join(parts)


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@functools.cache
def release(
    data: bytes,
    policy: str,
    as_of: dt.date,
    fmt: Format,
    untrusted: tuple[Untrusted, ...] = (),
) -> Emitted:
    """Run the one pipeline and fold what it emits; a leak-gate refusal is safe."""
    try:
        output = run(data, load_policy(policy), as_of, fmt=fmt, untrusted=untrusted).output
    except LeakError:
        return Emitted(refused=True)
    except Exception as exc:  # any other exception is a failure the tests report
        return Emitted(crash=type(exc).__name__)
    if fmt == "pdf":
        return Emitted(text=fold(extract_pdf(output)))
    decoded = output.decode("utf-8")
    if fmt == "json":
        decoded += "\n".join(_strings(json.loads(decoded)))
    return Emitted(text=fold(decoded))


@dataclass(frozen=True)
class Check:
    """One release checked against the oracle."""

    leaked: list[str]
    releasable: int
    released: int
    crash: str | None
    refused: bool


def check(doc: Document, policy: str, as_of: dt.date, fmt: Format) -> Check:
    """Which tokens the release over-released, and how many releasable ones it kept."""
    emitted = release(doc.data, policy, as_of, fmt, doc.untrusted)
    leaked, releasable, released = [], 0, 0
    for token, portion in doc.tokens.items():
        must = verdict(portion, doc, policy, as_of)
        present = token in emitted.text
        if must == "withhold" and present:
            leaked.append(token)
        elif must == "release":
            releasable += 1
            released += present
    return Check(leaked, releasable, released, emitted.crash, emitted.refused)


def describe(doc: Document, tokens: Iterable[str]) -> str:
    """Tokens with the reviewer's reading of their portion, for a failure message."""
    shown = []
    for token in tokens:
        portion = doc.tokens[token]
        readings = " or ".join(_spell(t) for t in portion.readings)
        traits = f" [{', '.join(portion.traits)}]" if portion.traits else ""
        shown.append(f"{token} ({readings}){traits}")
    return ", ".join(shown)


def _spell(truth: Truth) -> str:
    parts = [truth.level, *sorted(truth.controls)]
    if truth.rel_to:
        parts.append("REL TO " + ", ".join(sorted(truth.rel_to)))
    return "//".join(parts)


# --- PDF inputs -----------------------------------------------------------------

#: Documents also sent as PDFs (Latin-1 only: the standard Courier font).
PDF_SOURCES = (
    "memo_secret_noforn",
    "cable_collapsed_paragraphs",
    "telegram_1975_secret",
    "cable_classified_by_glued",
)
MAX_PDF_PAGES = 50


def typeset(lines: Iterable[str]) -> bytes:
    """A single-column PDF of ``lines`` in Courier, long lines wrapped between words."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, invariant=True)
    y = 750.0
    for line in lines:
        for piece in textwrap.wrap(line, 90, break_long_words=False) or [""]:
            if y < 40:
                canvas.showPage()
                y = 750.0
            canvas.setFont("Courier", 9)
            canvas.drawString(36, y, piece)
            y -= 11
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


#: (reviewer's reading, cell text): the left cell and the right cell of each row.
TWO_COLUMN_ROWS = (
    (
        ("U", "(U) The agenda TKN-U-9101 is public."),
        ("S", "(S) The delegate TKN-S-9102 was hired."),
    ),
    (
        ("U", "(U) Lunch TKN-U-9103 is at noon."),
        ("S//NF", "(S//NF) His handler TKN-S-9104 met him."),
    ),
    (("U", "(U) Venue TKN-U-9105 is the hotel."), ("S", "(S) Payments TKN-S-9106 began in May.")),
)


def two_column() -> tuple[bytes, Document]:
    """One page, ``(U)`` portions on the left and ``(S)`` ones beside them on the right."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, invariant=True)
    canvas.setFont("Courier", 9)
    canvas.drawString(270, 750, "SECRET")
    y = 700.0
    tokens = {}
    for (left_truth, left), (right_truth, right) in TWO_COLUMN_ROWS:
        row = canvas.beginText(36, y)  # one text object per row, as word processors write
        row.setFont("Courier", 9)
        row.textOut(left)
        row.moveCursor(284, 0)
        row.textOut(right)
        canvas.drawText(row)
        y -= 22
        for truth, cell in ((left_truth, left), (right_truth, right)):
            tokens[TOKEN.findall(cell)[0]] = Portion((Truth.read(truth),))
    canvas.drawString(36, y - 20, "Declassify On: 20200101")
    canvas.drawString(270, 40, "SECRET")
    canvas.showPage()
    canvas.save()
    doc = Document(
        name="pdf_two_column",
        layout="pdf-two-column",
        data=b"",
        banner=Truth.read("S"),
        decl=dt.date(2020, 1, 1),
        tokens=tokens,
    )
    return buffer.getvalue(), doc


def pdf_documents(docs: Iterable[Document]) -> list[tuple[bytes, Document]]:
    """The PDFs, each with the truth of the document it was typeset from."""
    by_name = {doc.name: doc for doc in docs}
    made = []
    for name in PDF_SOURCES:
        source = by_name[name]
        pdf = typeset(source.data.decode("utf-8").split("\n"))
        made.append((pdf, _with(source, f"pdf_{name}", "pdf-single-column")))
    made.append(two_column())
    return made


def read_pdf(pdf: bytes, doc: Document) -> Document:
    """The document as the HTTP upload reads a PDF: its text layer, then the pipeline."""
    read = read_pdf_upload(pdf, MAX_PDF_PAGES)
    return Document(
        doc.name,
        doc.layout,
        read.text.encode("utf-8"),
        doc.banner,
        doc.decl,
        doc.tokens,
        tuple(read.untrusted),
    )


def _with(doc: Document, name: str, layout: str) -> Document:
    return Document(name, layout, doc.data, doc.banner, doc.decl, doc.tokens)
