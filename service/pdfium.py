"""PDFium (pypdfium2, from the ``ocr`` extra), shared by the wings that may use it.

PDFium is not thread-safe and the HTTP service may serve requests on threads,
so every call into it, by any wing, holds :data:`PDFIUM_LOCK`. The library is
optional: :func:`pdfium` says whether it is installed.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

PDFIUM_LOCK = threading.Lock()


@functools.cache
def pdfium() -> Any | None:
    """The pypdfium2 module, or None where the ``ocr`` extra is not installed."""
    try:
        import pypdfium2
    except ImportError:
        return None
    return pypdfium2
