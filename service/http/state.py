"""What an application instance loads once at start and keeps in ``app.extensions``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from declass.rules.errors import PolicyError
from declass.rules.policy import LoadedPolicy, load_policy, shipped_policies
from declass.service.config import ConfigError, Settings


@dataclass
class State:
    """Settings and the policies clients may name; the OpenAPI document once built."""

    settings: Settings
    policies: dict[str, LoadedPolicy]
    openapi: dict[str, Any] | None = field(default=None)


def load_state(settings: Settings) -> State:
    """The shipped policies, plus the default policy when it is a file of the operator's."""
    policies = {loaded.policy.id: loaded for loaded in shipped_policies()}
    name = settings.default_policy
    if name not in policies:
        try:
            loaded = load_policy(name)
        except PolicyError as exc:
            raise ConfigError(f"DECLASS_DEFAULT_POLICY: {exc.message}") from None
        shipped = policies.get(loaded.policy.id)
        if shipped is not None and shipped.ref != loaded.ref:  # would answer to the shipped id
            raise ConfigError(
                f"DECLASS_DEFAULT_POLICY: the file takes the id '{loaded.policy.id}' of a "
                "shipped policy; give it an id of its own"
            )
        policies[loaded.policy.id] = loaded
        settings = settings.model_copy(update={"default_policy": loaded.policy.id})
    return State(settings=settings, policies=policies)
