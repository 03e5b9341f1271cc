"""declass rules engine: reads marked documents and decides what may be released.

Pure Python (stdlib and pydantic only): no Flask, no reportlab, no I/O but
reading the policy files shipped with it. The as-of date always comes in from
the caller.
"""

from declass.rules.errors import DeclassError, InputError, LeakError, PolicyError, RequestError
from declass.rules.parse import normalise, parse_document

__all__ = [
    "DeclassError",
    "InputError",
    "LeakError",
    "PolicyError",
    "RequestError",
    "normalise",
    "parse_document",
]
