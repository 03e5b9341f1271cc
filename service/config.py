"""Settings of the HTTP service, read from ``DECLASS_*`` environment variables.

One frozen pydantic model holds them, so a typo in a value fails at start
with the variable's name, and the application factory, the gunicorn runner
and ``declass serve`` all read the same object. API keys are kept only as
SHA-256 digests: a plain key given in the environment is hashed on load, and
an entry ``sha256:<hex>`` is taken as the digest of a key held elsewhere;
``name:role:sha256:<hex>`` also names the key's holder and role
(:mod:`service.keys`).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from declass.rules.errors import DeclassError
from declass.rules.limits import Limits
from declass.service.keys import ApiKey, parse_keys

PREFIX = "DECLASS_"
MEGABYTE = 1024 * 1024
LogLevel = Literal["debug", "info", "warning", "error"]


class ConfigError(DeclassError):
    """A ``DECLASS_*`` variable has a value the service cannot use."""

    code = "bad-config"


def default_workers() -> int:
    """Gunicorn's rule of thumb, 2 x cores + 1, counting only the cores we may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return 2 * cores + 1


class Settings(BaseModel):
    """Everything the service can be told from outside; see the README's table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8080, ge=0, le=65535)
    workers: int = Field(default_factory=default_workers, ge=1, le=256)
    threads: int = Field(default=2, ge=1, le=64)
    timeout: int = Field(default=120, ge=5, le=3600)
    graceful_timeout: int = Field(default=30, ge=1, le=3600)
    max_body_bytes: int = Field(default=10 * MEGABYTE, ge=1024)
    #: The front (service/http/front.py): a request head must arrive within this many seconds,
    #: its body within ``body_timeout``; an open connection beyond ``max_connections`` is closed.
    header_timeout: int = Field(default=10, ge=1, le=600)
    body_timeout: int = Field(default=60, ge=1, le=3600)
    max_connections: int = Field(default=1000, ge=1, le=100_000)
    max_pdf_pages: int = Field(default=2000, ge=1)
    default_policy: str = Field(default="public", min_length=1)
    #: Policies sent inside a request: off unless the operator turns them on.
    allow_inline_policies: bool = False
    log_level: LogLevel = "info"
    api_keys: tuple[str, ...] = Field(default=(), repr=False)
    #: /metrics without a key, for scrapers on a private network; off: it takes the key.
    metrics_public: bool = False
    #: Seconds a request may work before it stops with a 503 (checked cooperatively).
    request_deadline: float = Field(default=30.0, gt=0, le=3600)
    #: Caps on work that grows faster than the body (declass.rules.limits).
    max_segments: int = Field(default=20_000, ge=1)
    max_span_work: int = Field(default=200_000_000, ge=1)
    max_report_bytes: int = Field(default=64 * MEGABYTE, ge=1024)
    #: A worker is replaced after this many requests (plus up to the jitter), so that
    #: the memory one large request took does not stay with it; 0 never replaces it.
    max_requests: int = Field(default=1000, ge=0)
    max_requests_jitter: int = Field(default=100, ge=0)

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("api_keys", mode="before")
    @classmethod
    def _digests(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list | tuple):
            return value
        return tuple(key.entry() for key in parse_keys(value))

    @property
    def has_keys(self) -> bool:
        return bool(self.api_keys)

    @property
    def limits(self) -> Limits:
        return Limits(
            max_segments=self.max_segments,
            max_span_work=self.max_span_work,
            max_report_bytes=self.max_report_bytes,
        )

    @property
    def key_digests(self) -> tuple[bytes, ...]:
        """The digests of the accepted keys, as bytes for :func:`hmac.compare_digest`."""
        return tuple(key.digest.encode("ascii") for key in self.keys)

    @property
    def keys(self) -> tuple[ApiKey, ...]:
        """The accepted keys with their names and roles (:mod:`service.keys`)."""
        return parse_keys(self.api_keys)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from ``DECLASS_*`` variables, with explicit overrides (e.g. CLI options) on top."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        raw = environ.get(PREFIX + name.upper())
        if raw is not None and raw.strip() != "":
            values[name] = raw.strip()
    values.update({k: v for k, v in overrides.items() if v is not None})
    return settings_from_mapping(values)


def settings_from_mapping(values: Mapping[str, Any]) -> Settings:
    """Validate settings; an error names the ``DECLASS_*`` variable, never a key's value."""
    try:
        return Settings.model_validate(dict(values))
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "settings"
        message = error["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{PREFIX}{name.upper()}: {message}", field=name) from None


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
