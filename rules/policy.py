"""Release policies: rules as data, validated on load.

A policy is a versioned TOML file. Shipped policies live in
``rules/policies/*.toml`` and are read as package data; callers may also
pass a file of their own or an inline document. A file with a typo or a bad
value fails at load with a message naming the field. The vocabulary a policy
may use (actions, header kinds, controls) is exported for review tools.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from declass.rules.errors import PolicyError, PolicyIdTaken, PolicyNotFound
from declass.rules.exemptions import FOIA_EXEMPTIONS
from declass.rules.model import Frozen, Level

Action = Literal["release", "withhold", "review"]
ExemptionLabel = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^\n\r]+$")]

#: Withholding wins: when several rules apply, the most restrictive action is taken.
ACTION_RANK: dict[str, int] = {"release": 0, "review": 1, "withhold": 2}

HeaderKind = Literal[
    "routing",
    "control",
    "declassification",
    "tags",
    "reference",
    "classified_by",
    "signature",
    "trailer",
]
HEADER_KINDS: tuple[str, ...] = get_args(HeaderKind)


DEFAULT_HEADERS: tuple[HeaderKind, ...] = (
    "routing",
    "control",
    "declassification",
    "tags",
    "classified_by",
)


class Policy(Frozen):
    """One release policy. Every field names a step of the engine it configures."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")
    #: A version, never prose: it is printed on every release the policy makes.
    version: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*[a-z]{0,4}[0-9]{0,4}$", max_length=40)
    title: str = Field(min_length=1)
    description: str = ""
    audience: Literal["public", "partner"]
    release_level: Level = "U"
    partner: str | None = Field(default=None, pattern=r"^[A-Z]{3,4}$", validate_default=True)
    exemption: str = "(b)(1)"
    #: Exemption labels besides FOIA's (b)(1)-(b)(9) that reviewers may print (rules/exemptions.py).
    exemption_labels: list[ExemptionLabel] = Field(default_factory=list, max_length=50)
    declassify_by_date: bool = True
    automatic_declassification_years: int = Field(default=25, ge=25, le=75)
    unmarked_in_classified: Action = "withhold"
    unmarked_in_unclassified: Action = "release"
    no_classification_evidence: Action = "review"
    malformed_marking: Action = "review"
    above_banner: Action = "review"
    instruction_needs_review: Action = "review"
    controlled_unclassified: Action = "review"
    unlisted_control: Action = "review"
    controls: dict[str, Action] = Field(default_factory=dict)
    review_reasons: list[str] = Field(default_factory=list)
    release_headers: list[HeaderKind] = Field(default_factory=lambda: list(DEFAULT_HEADERS))

    @field_validator("partner")
    @classmethod
    def _partner_named(cls, partner: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("audience") == "partner" and not partner:
            raise ValueError("a partner policy needs a partner (a country trigraph such as GBR)")
        return partner

    @model_validator(mode="after")
    def _exemption_in_vocabulary(self) -> Policy:
        # The label the policy prints on its own withholdings is in the closed list too.
        if self.exemption not in (*FOIA_EXEMPTIONS, *self.exemption_labels):
            raise ValueError(
                "exemption must be a FOIA exemption such as (b)(1), or one of exemption_labels"
            )
        return self

    def rule(self, name: str) -> str:
        """The id a decision records: ``public/unmarked-in-classified``."""
        return f"{self.id}/{name}"


#: How a release names a policy it cannot name by id: one the caller sent in the request,
#: or a file that reuses a shipped policy's id (the id could then pass for the shipped one).
INLINE = "inline policy"
FILE = "file policy"


class PolicyRef(Frozen):
    """Which policy made a release: id, version and the hash of its text.

    A shipped policy, or a file of the operator's with an id of its own, is
    named by its id. An inline policy, or a file reusing a shipped id, is named
    ``inline policy <digest>`` / ``file policy <digest>`` (a policy id holds no
    space, so the two can never be confused).
    """

    id: str
    version: str
    sha256: str

    @property
    def is_named_by_digest(self) -> bool:
        return " " in self.id

    @property
    def label(self) -> str:
        """The policy as a release stamp names it: ``policy public 2026.2``."""
        if self.is_named_by_digest:
            return f"{self.id} version {self.version}"
        return f"policy {self.id} {self.version}"


class LoadedPolicy(Frozen):
    policy: Policy
    ref: PolicyRef


def _package_files() -> dict[str, bytes]:
    folder = resources.files("declass.rules.policies")
    return {
        entry.name.removesuffix(".toml"): entry.read_bytes()
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    }


def shipped_policies() -> list[LoadedPolicy]:
    """Every policy shipped with declass, sorted by id."""
    return [parse_policy(data, f"{name}.toml") for name, data in sorted(_package_files().items())]


def load_policy(name_or_path: str) -> LoadedPolicy:
    """A shipped policy by id, or a policy file by path.

    A file that takes a shipped policy's id with other rules is named by its
    digest (``file policy 3fa9c0d1e2b4``), so its releases cannot pass for the
    shipped policy's.
    """
    files = _package_files()
    if name_or_path in files:
        return parse_policy(files[name_or_path], f"{name_or_path}.toml")
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PolicyNotFound(f"cannot read policy file {name_or_path}: {exc.strerror}") from exc
        loaded = parse_policy(data, path.name)
        shipped = files.get(loaded.policy.id)
        if shipped is not None and hashlib.sha256(shipped).hexdigest() != loaded.ref.sha256:
            return named_by_digest(loaded, FILE)
        return loaded
    known = ", ".join(sorted(files))
    raise PolicyNotFound(f"unknown policy '{name_or_path}' (known: {known})")


def parse_policy(data: bytes, source: str = "inline policy") -> LoadedPolicy:
    """Validate policy TOML; errors name the source and the field."""
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    return policy_from_mapping(table, source, hashlib.sha256(data).hexdigest())


def policy_from_mapping(
    table: dict[str, Any], source: str, sha256: str | None = None
) -> LoadedPolicy:
    """Validate an already-parsed policy (e.g. inline JSON in a request)."""
    try:
        policy = Policy.model_validate(table)
    except ValidationError as exc:
        raise PolicyError(f"{source}: {_describe(exc)}", field=_first_field(exc)) from exc
    digest = sha256 or canonical_digest(policy)
    return LoadedPolicy(
        policy=policy, ref=PolicyRef(id=policy.id, version=policy.version, sha256=digest)
    )


def inline_policy(table: dict[str, Any], taken: Iterable[str]) -> LoadedPolicy:
    """A policy sent in a request, named by the digest of its canonical JSON.

    It may not take the id of a loaded policy (``taken``): its decisions' rule
    ids (``public/...``) would pass for that policy's.
    """
    loaded = policy_from_mapping(table, INLINE)
    if loaded.policy.id in set(taken):
        raise PolicyIdTaken(
            f"an inline policy may not take the id '{loaded.policy.id}' of a policy the "
            "service holds; give it an id of its own",
            field="policy.id",
        )
    return named_by_digest(loaded, INLINE)


def named_by_digest(loaded: LoadedPolicy, kind: str) -> LoadedPolicy:
    """``loaded`` with a ref that names it by kind and digest rather than by id."""
    ref = loaded.ref.model_copy(update={"id": f"{kind} {loaded.ref.sha256[:12]}"})
    return loaded.model_copy(update={"ref": ref})


def canonical_digest(policy: Policy) -> str:
    """The SHA-256 of the policy as canonical JSON: keys sorted, no spaces, defaults in."""
    canonical = json.dumps(policy.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _first_field(exc: ValidationError) -> str | None:
    errors = exc.errors()
    return ".".join(str(p) for p in errors[0]["loc"]) if errors and errors[0]["loc"] else None


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "policy"
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown field '{where}'")
        else:
            parts.append(f"field '{where}': {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)
