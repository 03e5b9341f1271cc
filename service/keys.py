"""API keys with a name and a role: who is calling, and what they may do.

``DECLASS_API_KEYS`` is a comma-separated list. An entry
``name:role:sha256:<hex>`` names the key's holder and gives its role:
``workflow`` (release documents) or ``reviewer`` (also override decisions).
The old forms, a plain key or ``sha256:<hex>``, still work and are
``workflow`` keys named ``key-N`` by their position in the list. The name is
printed on releases (stamp, text marks, review log), so it is held to a
short charset here, at parsing, and can never carry arbitrary text. Without
keys a loopback caller is the reviewer ``local``: the operator on the
machine itself, who could run the command line anyway.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from declass.rules.release import REVIEWER_NAME

Role = Literal["workflow", "reviewer"]
ROLES: tuple[str, ...] = get_args(Role)
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class ApiKey:
    """One accepted key: its holder's name, role and the SHA-256 digest of the key."""

    name: str
    role: Role
    digest: str

    @property
    def may_override(self) -> bool:
        return self.role == "reviewer"

    def entry(self) -> str:
        """The canonical entry, ``name:role:sha256:<hex>``: what the settings keep."""
        return f"{self.name}:{self.role}:sha256:{self.digest}"


#: The caller on a loopback service without keys.
LOCAL = ApiKey(name="local", role="reviewer", digest="")


def parse_keys(entries: Iterable[str]) -> tuple[ApiKey, ...]:
    """Every non-blank entry as a key; a name or a key given twice is an error."""
    keys: list[ApiKey] = []
    for position, entry in enumerate(e.strip() for e in entries):
        if not entry:
            continue
        key = parse_key(entry, len(keys) + 1)
        if any(k.name == key.name for k in keys):
            raise ValueError(f"entry {position + 1}: the key name is given twice")
        if any(k.digest == key.digest for k in keys):
            raise ValueError(f"entry {position + 1}: the same key is given twice")
        keys.append(key)
    return tuple(keys)


def parse_key(entry: str, number: int) -> ApiKey:
    """``name:role:sha256:<hex>``, ``sha256:<hex>`` or a plain key (the ``number``-th).

    Errors name the entry's position and what is wrong, never the key itself.
    """
    parts = entry.split(":")
    if len(parts) >= 3 and (parts[1].lower() in ROLES or parts[2].lower() == "sha256"):
        name, role = parts[0], parts[1].lower()
        if not REVIEWER_NAME.fullmatch(name):
            raise ValueError(
                f"key {number}: a name is 1-32 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
        if role not in ROLES:
            raise ValueError(f"key {number}: the role must be one of {', '.join(ROLES)}")
        if len(parts) != 4 or parts[2].lower() != "sha256":
            raise ValueError(f"key {number}: expected name:role:sha256:<64 hex digits>")
        return ApiKey(name, "reviewer" if role == "reviewer" else "workflow", _hex(parts[3]))
    if entry.lower().startswith("sha256:"):
        return ApiKey(f"key-{number}", "workflow", _hex(entry[len("sha256:") :]))
    return ApiKey(f"key-{number}", "workflow", hashlib.sha256(entry.encode("utf-8")).hexdigest())


def _hex(digest: str) -> str:
    digest = digest.strip().lower()
    if len(digest) != 64 or not set(digest) <= _HEX:
        raise ValueError("a 'sha256:' entry must be followed by 64 hex digits")
    return digest


def identify(token: str, keys: Iterable[ApiKey]) -> ApiKey | None:
    """The key ``token`` is, compared in constant time against every key (the loop never
    stops early, so the time does not tell how many keys were tried or which matched)."""
    presented = hashlib.sha256(token.encode("utf-8")).hexdigest().encode("ascii")
    found: ApiKey | None = None
    for key in keys:
        if hmac.compare_digest(presented, key.digest.encode("ascii")) and found is None:
            found = key
    return found
