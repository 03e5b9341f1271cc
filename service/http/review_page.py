"""The review page for staff: one server-rendered page at ``/``, its script and styles.

The page holds no document and no key. Its script (``static/review.js``) sends
the text to ``/v1/analyze`` and ``/v1/redact`` with the reviewer's key, shows
the decisions, and keeps the reviewer's overrides and span redactions in the
browser only; every figure on the page comes from those API answers. The
assets are package data served by Flask's own static route, so the page needs
no network beyond this service.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from declass.service.as_of import today
from declass.service.http.state import State
from declass.service.reader import CLAIMS, TEXT_SUFFIXES

bp = Blueprint("review", __name__)
#: What the file picker offers: every suffix and media type the one reader reads.
UPLOAD_ACCEPT = ",".join(
    [*sorted(suffix for suffix in TEXT_SUFFIXES if suffix), "text/plain", *CLAIMS]
)


@bp.get("/")
def page() -> str:
    state: State = current_app.extensions["declass"]
    return render_template(
        "review.html",
        today=today().isoformat(),
        keys_required=state.settings.has_keys,
        upload_accept=UPLOAD_ACCEPT,
    )
