"""The closed vocabulary of exemption labels a release may print.

An exemption label is printed on the release itself (``[(b)(6)]``, ``[3 lines
withheld: (b)(1) 1.5(d)]``). A free-text label would print whatever it says,
a name or a sentence of the document included, so a label must be one of the
FOIA exemptions, 5 U.S.C. 552(b)(1) to (b)(9) with the law-enforcement
subparagraphs (b)(7)(A) to (b)(7)(F), or one the policy declares in
``exemption_labels``. A refusal names the request field and at most a short,
sanitised prefix of the label, never the label itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from declass.rules.errors import RequestError


class Labelled(Protocol):
    """An override or a span redaction: all this check reads of either is its label.

    A protocol rather than the models, so that the vocabulary (which the policy
    imports) stays below the release models (which import the policy)."""

    @property
    def exemption(self) -> str | None: ...


FOIA_EXEMPTIONS: tuple[str, ...] = (
    *(f"(b)({n})" for n in range(1, 10)),
    *(f"(b)(7)({letter})" for letter in "ABCDEF"),
)
PREFIX = 4


class ExemptionError(RequestError):
    """An override or span redaction names a label outside the closed vocabulary."""


def exemption_vocabulary(declared: Iterable[str] = ()) -> frozenset[str]:
    """The labels a release may print: the FOIA exemptions and the policy's own."""
    return frozenset((*FOIA_EXEMPTIONS, *declared))


def check_exemptions(
    declared: Iterable[str],
    overrides: Sequence[Labelled] = (),
    redactions: Sequence[Labelled] = (),
) -> None:
    """Raise :class:`ExemptionError` for the first label outside the vocabulary."""
    allowed = exemption_vocabulary(declared)
    labelled = [
        *((f"overrides.{i}.exemption", o.exemption) for i, o in enumerate(overrides)),
        *((f"redactions.{i}.exemption", r.exemption) for i, r in enumerate(redactions)),
    ]
    for field, label in labelled:
        if label is not None and label not in allowed:
            raise ExemptionError(
                f"{field}: exemption label '{safe_prefix(label)}' is not one of the FOIA "
                "exemptions (b)(1) to (b)(9), (b)(7)(A) to (b)(7)(F), or a label the policy "
                "declares in exemption_labels",
                field=field,
            )


def safe_prefix(label: str) -> str:
    """At most the first few characters of ``label``, letters, digits and brackets only."""
    head = "".join(c if c.isascii() and (c.isalnum() or c in "()") else "?" for c in label[:PREFIX])
    return head + ("..." if len(label) > PREFIX else "")
