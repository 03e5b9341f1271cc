"""The application factory: ``create_app(config)`` builds one WSGI application.

``config`` is a :class:`~declass.service.config.Settings`, a mapping (lower-case
keys are settings, upper-case keys go to Flask's config, as a test config
does), or ``None`` to read ``DECLASS_*`` from the environment. Each part
registers itself with ``init_app``; the order matters only for the request
hooks: logging first (request id and clock), then the metrics, then the
request's deadline and caps, then keys and the body-size gate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from declass.service.config import Settings, load_settings, settings_from_mapping
from declass.service.http import api, budget, errors, logs, metrics, ops, security
from declass.service.http import review_page as review
from declass.service.http.state import load_state

#: Multipart form fields other than the file are small (options, overrides, redactions).
MAX_FORM_MEMORY = 2 * 1024 * 1024


class DeclassFlask(Flask):
    """Flask, except that an exception that escapes every handler is logged without text."""

    def log_exception(self, exc_info: Any) -> None:
        logs.log_exception(exc_info[1])


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    settings, flask_config = _split(config)
    app = DeclassFlask(__name__)
    app.config.update(MAX_FORM_MEMORY_SIZE=MAX_FORM_MEMORY, MAX_FORM_PARTS=50)
    app.config.update(flask_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["declass"] = load_state(settings)
    logs.init_app(app)
    metrics.init_app(app)
    budget.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(ops.bp)
    app.register_blueprint(review.bp)
    return app


def _split(config: Settings | Mapping[str, Any] | None) -> tuple[Settings, dict[str, Any]]:
    if config is None:
        return load_settings(), {}
    if isinstance(config, Settings):
        return config, {}
    fields = {k: v for k, v in config.items() if k in Settings.model_fields}
    rest = {k: v for k, v in config.items() if k not in Settings.model_fields}
    return settings_from_mapping(fields), rest
