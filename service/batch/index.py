"""The batch's combined withholding log: ``OUT/vaughn.csv``, every document's rows.

Written at the end of a batch that produces the ``vaughn`` format, from the
documents' own released logs (``X.released.csv``), which have passed the
leak gate; documents already current from an earlier run are included, those
that failed are not. Each row names its document by its path relative to the
input directory (the per-document files name it by sha256). The file is
replaced atomically, so a reader never sees half an index.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path

from declass.service.batch.work import SKIPPABLE, output_name
from declass.service.files import write_atomically
from declass.service.render.vaughn import HEADER, relabel

INDEX_NAME = "vaughn.csv"


def write_index(output_dir: Path, lines: Mapping[str, str]) -> Path:
    """Combine the logs of the released documents (manifest lines by path), sorted by path."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for path in sorted(lines):
        if json.loads(lines[path]).get("status") not in SKIPPABLE:
            continue
        released = output_dir / output_name(path, "vaughn")
        rows = list(csv.reader(io.StringIO(released.read_text(encoding="utf-8"), newline="")))
        writer.writerows(relabel(rows[1:], path))
    target = output_dir / INDEX_NAME
    write_atomically(target, buffer.getvalue().encode("utf-8"), durable=True)
    return target
