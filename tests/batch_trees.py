"""Small document trees for the batch tests (written by the tests themselves)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

from reportlab.pdfgen import canvas

DATA = Path(__file__).resolve().parent / "data"
SECRET = "northern border"

CABLE = (
    "C O N F I D E N T I A L PARIS 001234\n\n"
    "E.O. 12958: DECL: 08/25/2016\nTAGS: PREL FR\n"
    "SUBJECT: (U) {subject}\n\n"
    "Classified By: Ambassador Jane Roe for reasons 1.4 (b) and (d)\n\n"
    f"1. (C) The minister outlined a confidential plan for the {SECRET}.\n\n"
    "2. (U) The embassy hosted a reception.\n"
)
MEMO = "UNCLASSIFIED\n\nSUBJECT: (U) {subject}\n\n1. (U) The office moved to the fourth floor.\n"


def cable(subject: str) -> bytes:
    return CABLE.format(subject=subject).encode("utf-8")


def text_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer holds ``text`` line by line."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    y = 800.0
    for line in text.splitlines():
        page.drawString(40, y, line)
        y -= 14
    page.showPage()
    page.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF with a picture-like mark and no text layer."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.rect(40, 40, 200, 300, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


GOOD: dict[str, bytes] = {
    "a/b/paris.txt": cable("FIRST CABLE"),
    "a/b/paris.pdf": text_pdf(CABLE.format(subject="CABLE AS A PDF")),
    "a/memo.txt": MEMO.format(subject="A MEMO").encode("utf-8"),
    "c/second.TXT": cable("SECOND CABLE"),
    "top.txt": (DATA / "paris_2006.txt").read_bytes(),
    "z/crlf.txt": cable("CRLF CABLE").replace(b"\n", b"\r\n"),
}
IGNORED: dict[str, bytes] = {
    "notes.md": b"# not a document\n",
    "a/picture.gif": b"GIF89a",
    "a/b/paris.txt.bak": cable("BACKUP"),
}
BAD: dict[str, str] = {  # path -> error code recorded in the manifest
    "bad/latin1.txt": "bad-input",
    "bad/empty.txt": "bad-input",
    "bad/broken.pdf": "unreadable-pdf",
    # No text layer, so it is read as a scan: OCR finds nothing on a page with no words.
    "bad/scan.pdf": "bad-input" if shutil.which("tesseract") else "ocr-unavailable",
}
BAD_BYTES: dict[str, bytes] = {
    "bad/latin1.txt": "UNCLASSIFIED\n\n1. (U) Caf\xe9 au lait.\n".encode("latin-1"),
    "bad/empty.txt": b" \n\n",
    "bad/broken.pdf": b"%PDF-1.4\nthis is not really a PDF\n",
    "bad/scan.pdf": scanned_pdf(),
}


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(out: Path) -> list[dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def released_files(out: Path) -> dict[str, bytes]:
    """Every released file under ``out``, by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*.released.*"))
        if p.is_file()
    }


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every released file (a rewrite changes both)."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*.released.*"))
    }
