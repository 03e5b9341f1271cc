"""Throughput of the DOCX reader on generated memos: figures printed, never asserted.

Run from the repository root::

    .venv/bin/python bench/bench_docx.py
    .venv/bin/python bench/bench_docx.py --documents 50 --repeat 7

Memos are built with python-docx before any timing: a banner in header and
footer, 10 to 400 marked paragraphs (the sizes spread evenly over the
documents), a marked table every 10 paragraphs, and in every fifth memo a
hidden run and a tracked deletion, so that the evidence path
is timed too. The process is pinned to one CPU where the platform allows it.
Figures, each the median of ``--repeat`` passes after one warm-up:

1. read_docx over all memos: documents/s and MB/s of text read (UTF-8).
2. The check of the zip alone (check_container), documents/s.
3. read_docx then the text pipeline ``run`` (policy "public"), documents/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

import docx
from docx.oxml.parser import parse_xml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_pdf import median_pass, pin_one_core
from declass.rules.policy import load_policy
from declass.service.pipeline import run
from declass.service.read.word import check_container, read_docx

AS_OF = dt.date(2026, 11, 28)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MARKS = ("(U)", "(C)", "(S//NF)", "(U)", "(S)")


def memo(paragraphs: int, evidence: bool) -> bytes:
    """One SECRET//NOFORN memo of ``paragraphs`` marked paragraphs, as DOCX bytes."""
    document = docx.Document()
    document.core_properties.comments = ""
    section = document.sections[0]
    section.header.paragraphs[0].text = "SECRET//NOFORN"
    section.footer.paragraphs[0].text = "SECRET//NOFORN"
    document.add_paragraph("MEMORANDUM FOR THE DEPUTY SECRETARY")
    document.add_paragraph("E.O. 12958: DECL: 12/31/2035")
    document.add_paragraph("SUBJECT: (U) Harbour access talks")
    for number in range(1, paragraphs + 1):
        mark = MARKS[number % len(MARKS)]
        paragraph = document.add_paragraph(
            f"{number}. {mark} The delegation discussed item {number} of the draft agreement "
            "and recorded the positions of both sides for the next session of the talks."
        )
        if number % 10 == 0:
            table = document.add_table(rows=3, cols=3)
            for row in range(3):
                for column in range(3):
                    table.cell(
                        row, column
                    ).text = f"{MARKS[(row + column) % 5]} Cell {row}.{column}"
        if evidence and number % 25 == 0:
            paragraph.add_run(" (S) a hidden note").font.hidden = True
            deletion: Any = parse_xml(
                f'<w:del xmlns:w="{W_NS}" w:id="{number}" w:author="A">'
                "<w:r><w:delText>(S) removed words</w:delText></w:r></w:del>"
            )
            paragraph._p.append(deletion)
    document.add_paragraph("Classified By: J. Morrow, Director, for reasons 1.4(b) and (d)")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    pinned = pin_one_core()
    count = args.documents
    sizes = [10 + (390 * i) // max(count - 1, 1) for i in range(count)]
    files = [memo(size, evidence=i % 5 == 0) for i, size in enumerate(sizes)]
    texts = [read_docx(data).text for data in files]
    text_mb = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    docx_mb = sum(len(data) for data in files) / 1e6
    print(
        f"{count} memos of {sizes[0]}-{sizes[-1]} paragraphs: {docx_mb:.2f} MB of DOCX, "
        f"{text_mb:.2f} MB of text; {pinned}, median of {args.repeat} passes"
    )
    policy = load_policy("public")

    def read_all() -> None:
        for data in files:
            read_docx(data)

    def check_all() -> None:
        for data in files:
            check_container(data)

    def release_all() -> None:
        for data in files:
            run(read_docx(data).text.encode("utf-8"), policy, AS_OF)

    seconds = median_pass(read_all, args.repeat)
    print(
        f"read_docx:             {seconds:6.2f} s/pass  {count / seconds:7.1f} documents/s  "
        f"{text_mb / seconds:6.2f} MB/s of text"
    )
    seconds = median_pass(check_all, args.repeat)
    print(f"check_container only:  {seconds:6.2f} s/pass  {count / seconds:7.1f} documents/s")
    seconds = median_pass(release_all, args.repeat)
    print(f"read_docx + run(text): {seconds:6.2f} s/pass  {count / seconds:7.1f} documents/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
