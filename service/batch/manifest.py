"""The batch manifest: ``OUT/manifest.jsonl``, one JSON line per document.

While a batch runs, each finished document's line is appended and flushed at
once (and fsynced at most once a second), so a run that is interrupted leaves
only complete records behind: if a document has several lines, the last one
counts, and a torn last line (a crash in mid-write) is ignored. At the start
and at the end of a run the manifest is compacted — rewritten atomically
(temporary file, fsync, ``os.replace``) with one line per document, sorted
by path. A line never holds document text: paths, hashes, the released
marking, counts, the policy, the as-of date, the status and an error message.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from declass.service.files import write_atomically

MANIFEST_NAME = "manifest.jsonl"
Record = dict[str, Any]


def read_manifest(path: Path) -> dict[str, str]:
    """The last complete line of each document, by path; unreadable lines are ignored.

    Lines are kept as text (about a kilobyte each, a quarter of the parsed
    record), so that the manifest of a quarter-million documents fits easily.
    """
    lines: dict[str, str] = {}
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return lines
    with handle:
        for raw in handle:
            record = _parse_line(raw)
            if record is not None:
                lines[record["path"]] = dump_record(record)
    return lines


def _parse_line(raw: bytes) -> Record | None:
    if not raw.endswith(b"\n"):
        return None  # torn by a crash in mid-write
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("path"), str):
        return None
    return record


def dump_record(record: Record) -> str:
    """One manifest line, keys sorted so equal records are equal bytes."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def write_manifest(path: Path, lines: dict[str, str]) -> None:
    """Rewrite the manifest atomically from lines by path: one per document, sorted."""
    text = "".join(lines[name] for name in sorted(lines))
    write_atomically(path, text.encode("utf-8"), durable=True)


class Journal:
    """Appends records to the manifest as documents finish."""

    def __init__(self, path: Path, fsync_interval: float = 1.0) -> None:
        self.path = path
        self.fsync_interval = fsync_interval
        self._handle: TextIO = path.open("a", encoding="utf-8")
        self._synced = time.monotonic()

    def append(self, line: str) -> None:
        self._handle.write(line)
        self._handle.flush()
        if time.monotonic() - self._synced >= self.fsync_interval:
            self._sync()

    def _sync(self) -> None:
        os.fsync(self._handle.fileno())
        self._synced = time.monotonic()

    def close(self) -> None:
        if not self._handle.closed:
            self._sync()
            self._handle.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
