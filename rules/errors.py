"""The errors declass raises: one small hierarchy, each with a place where it has one.

The engine itself never raises for a bad marking (it records the problem and
fails closed); these are for input that cannot be processed at all, for
requests that name things that do not exist, and for the leak gate.
"""

from __future__ import annotations


class DeclassError(Exception):
    """Base of every error declass raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field


class InputError(DeclassError):
    """The document cannot be read (not UTF-8, empty, unreadable PDF)."""

    code = "bad-input"


class UnreadableDocument(InputError):
    """A file a reader refuses (damaged, encrypted, too large, not the format it claims);
    ``code`` says why (``unreadable-pdf``, ``docx-too-large``...), the same on every edge."""

    def __init__(self, code: str, message: str, *, field: str | None = "file") -> None:
        super().__init__(message, field=field)
        self.code = code


class PolicyError(DeclassError):
    """A policy is unknown or its file is invalid (the message names the field)."""

    code = "bad-policy"


class PolicyNotFound(PolicyError):
    code = "unknown-policy"


class PolicyIdTaken(PolicyError):
    """A policy the caller brings names itself after one the service holds."""

    code = "policy-id-taken"


class RequestError(DeclassError):
    """An override, span redaction or date in the request is invalid."""

    code = "bad-request"


class LeakError(DeclassError):
    """The leak gate found withheld text in a rendered release.

    The message names the segment id, never the text.
    """

    code = "leak-detected"
