"""Decide, segment by segment, what a policy releases as of a date.

Every rule that applies to a segment proposes an action; the most restrictive
one wins (withhold > review > release) and a segment no rule releases is
withheld. While a document is still classified, anything unmarked, malformed,
above the banner or governed by an unreadable instruction is withheld or sent
to review. Only the document's own declassification date releases classified
text. The as-of date comes in from the caller; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from declass.rules import deadline
from declass.rules.declassify import Evaluation, evaluate
from declass.rules.evidence import Evidence
from declass.rules.exemptions import FOIA_EXEMPTIONS, check_exemptions
from declass.rules.leakgate import check_labels, check_remarks
from declass.rules.model import LEVEL_RANK, Document, Marking, Segment
from declass.rules.overrides import apply_overrides, find_spans
from declass.rules.policy import ACTION_RANK, Action, LoadedPolicy, Policy
from declass.rules.release import (
    Decision,
    Override,
    Redaction,
    Release,
)
from declass.rules.second_key import Keyholder, second_key
from declass.rules.summary import original_marking, summarise
from declass.rules.untrusted import Untrusted, hold_untrusted
from declass.rules.vocabulary import CONTROLLED_UNCLASSIFIED, DISTRIBUTION_ONLY, TETRAGRAPHS
from declass.rules.wrap import withheld_lines

#: Instructions that name their own declassification date.
NAMED_DATE_KINDS = frozenset({"date", "release_annotation"})
#: Banner values that restrict nothing once read (encrypt for transmission only).
NOT_RESTRICTING = frozenset({"EFTO"})


@dataclass(frozen=True)
class _Proposal:
    action: Action
    rule: str
    classified: bool = False
    detail: str = ""


@dataclass(frozen=True)
class _Context:
    """Document-wide facts every segment decision needs."""

    text: str
    document: Document
    policy: Policy
    evaluation: Evaluation
    classified: bool
    declassified: bool
    banner_rank: int
    captions: frozenset[str]
    reasons: tuple[str, ...]
    banner_rel_to: tuple[str, ...]
    unassigned: frozenset[str]
    above_banner: bool


def decide(
    document: Document,
    text: str,
    loaded: LoadedPolicy,
    as_of: dt.date,
    overrides: Sequence[Override] = (),
    redactions: Sequence[Redaction] = (),
    untrusted: Sequence[Untrusted] = (),
) -> Release:
    """The release of ``document`` (parsed from ``text``) under a policy as of a date."""
    check_exemptions(loaded.policy.exemption_labels, overrides, redactions)
    ctx = _context(document, text, loaded.policy, as_of)
    decisions = [_decide(segment, ctx) for segment in deadline.each(document.segments)]
    decisions, found = second_key(_keyholder(ctx), decisions)
    if found:
        document = document.model_copy(update={"problems": [*document.problems, *found]})
    document, decisions = hold_untrusted(document, decisions, untrusted, loaded.policy)
    ctx = replace(ctx, document=document)
    decisions = apply_overrides(decisions, overrides, loaded.policy, document.segments)
    spans, applied = find_spans(text, document, decisions, redactions)
    release = Release(
        document=document,
        decisions=decisions,
        spans=spans,
        summary=summarise(document, loaded.policy, ctx.declassified, decisions, spans),
        policy=loaded.ref,
        as_of=as_of,
        evaluation=ctx.evaluation,
        original_marking=original_marking(document),
        overrides=list(overrides),
        redactions=applied,
    )
    check_labels(release, text, _declared_labels(loaded.policy, overrides, redactions))
    if overrides:
        check_remarks(release, text, _remarks(overrides))
    return release


def _remarks(overrides: Sequence[Override]) -> dict[str, str]:
    """What reviewers typed that a release may print (the withholding log), by field."""
    remarks: dict[str, str] = {}
    for i, override in enumerate(overrides):
        remarks[f"overrides.{i}.reason"] = override.reason
        remarks[f"overrides.{i}.reviewer"] = override.reviewer
    return remarks


def _declared_labels(
    policy: Policy, overrides: Sequence[Override], redactions: Sequence[Redaction]
) -> dict[str, str]:
    """Labels outside FOIA's that the release may print, each with the field that chose it."""
    chosen = [
        ("policy.exemption", policy.exemption),
        *((f"overrides.{i}.exemption", o.exemption) for i, o in enumerate(overrides)),
        *((f"redactions.{i}.exemption", r.exemption) for i, r in enumerate(redactions)),
    ]
    labels: dict[str, str] = {}
    for field, label in chosen:
        if label is not None and label not in FOIA_EXEMPTIONS:
            labels.setdefault(label, field)
    return labels


def _with_sbu(controls: set[str]) -> set[str]:
    """The SENSITIVE caption is what key 2 reads as SBU."""
    return controls | {"SBU"} if "SENSITIVE" in controls else controls


def _keyholder(ctx: _Context) -> Keyholder:
    """Key 1's facts and decision table, for key 2 to check its releases against."""
    document = ctx.document
    governing = _with_sbu(set(ctx.captions))
    known = _with_sbu(
        governing
        | {
            control
            for segment in document.segments
            if segment.marking
            for control in segment.marking.controls
        }
    )
    answers: dict[tuple[str, tuple[str, ...]], bool] = {}

    def would_release(token: Evidence) -> bool:
        """Whether a portion carrying this very mark would be released (asked once per
        meaning: a document repeats a few marks)."""
        meaning = (token.level, token.controls)
        if meaning not in answers:
            answers[meaning] = _releases_mark(token)
        return answers[meaning]

    def _releases_mark(token: Evidence) -> bool:
        mark = Marking(raw="", level=token.level, controls=list(token.controls))
        probe = Segment(
            id="",
            kind="paragraph",
            start=0,
            end=0,
            body_start=0,
            marking=mark,
            marking_source="own",
        )
        proposals = _proposals(probe, ctx)
        return bool(proposals) and all(p.action == "release" for p in proposals)

    return Keyholder(
        document=document,
        text=ctx.text,
        classified=ctx.classified,
        declassified=ctx.declassified,
        banner_rank=ctx.banner_rank,
        banner_level=document.banner.level if document.banner else None,
        known_controls=frozenset(known),
        document_controls=frozenset(governing),
        would_release=would_release,
        rule=ctx.policy.rule,
    )


def _context(document: Document, text: str, policy: Policy, as_of: dt.date) -> _Context:
    level = document.level
    evaluation = evaluate(
        document.declassification,
        document.origin_date,
        as_of,
        level,
        years=policy.automatic_declassification_years,
    )
    evaluation = _as_policy_reads_it(document, evaluation)
    banner = document.banner
    classified = level is not None and LEVEL_RANK[level] > 0
    inherited = set(document.captions) | set(banner.controls if banner else ())
    return _Context(
        text=text,
        document=document,
        policy=policy,
        evaluation=evaluation,
        classified=classified,
        # A date on an unclassified document declassifies nothing: its controls stand.
        declassified=classified
        and policy.declassify_by_date
        and evaluation.status == "declassified",
        banner_rank=LEVEL_RANK[banner.level if banner else level or "U"],
        captions=frozenset(inherited - DISTRIBUTION_ONLY - NOT_RESTRICTING),
        reasons=tuple(document.classified_by.reasons if document.classified_by else ()),
        banner_rel_to=tuple(banner.rel_to if banner else ()),
        unassigned=frozenset(
            p.segment for p in document.problems if p.code == "marking_not_assigned" and p.segment
        ),
        # Something in the document is marked higher than its banner (a portion or a stray).
        above_banner=LEVEL_RANK[level or "U"]
        > LEVEL_RANK[banner.level if banner else level or "U"],
    )


def _as_policy_reads_it(document: Document, evaluation: Evaluation) -> Evaluation:
    """Only the document's own named date releases classified text (docs/markings.md 4.4).

    A schedule computed from the instruction (E.O. 11652 GDS), a downgrade, or
    contradictory instruction lines go to review instead.
    """
    decl = document.declassification
    codes = {p.code for p in document.problems}
    if "declassification_lines_disagree" in codes and evaluation.status != "classified":
        return Evaluation(status="needs_review", reason="contradictory declassification lines")
    if decl is None or evaluation.status == "not_classified":
        return evaluation
    if evaluation.status == "declassified" and decl.kind not in NAMED_DATE_KINDS:
        return Evaluation(
            status="needs_review",
            reason=f"{decl.kind} instruction names no date ({evaluation.reason})",
            warnings=evaluation.warnings,
        )
    if decl.kind == "downgrade":
        return Evaluation(status="needs_review", reason="downgrade instruction")
    return evaluation


def _decide(segment: Segment, ctx: _Context) -> Decision:
    proposals = _proposals(segment, ctx)
    chosen = proposals[0] if proposals else _Proposal("withhold", "no-rule-releases", True)
    for proposal in proposals[1:]:
        if ACTION_RANK[proposal.action] > ACTION_RANK[chosen.action]:
            chosen = proposal
    policy = ctx.policy
    exemptions = [policy.exemption] if chosen.classified and chosen.action == "withhold" else []
    return Decision(
        segment=segment.id,
        action=chosen.action,
        rule=policy.rule(chosen.rule),
        reasons=list(ctx.reasons) if chosen.classified else [],
        exemptions=exemptions,
        detail=chosen.detail,
        lines=withheld_lines(ctx.text[segment.body_start : segment.end]),
    )


def _proposals(segment: Segment, ctx: _Context) -> list[_Proposal]:
    if segment.kind == "banner":
        return [_Proposal("release", "banner-remarked", detail="banner rewritten to the release")]
    mark = segment.marking
    if segment.id in ctx.unassigned and (not ctx.declassified or ctx.above_banner):
        # The parser left a stricter marking inside this segment (a header line
        # included): fail closed before any rule can release it.
        detail = "a marking inside the segment governs no segment of its own"
        return [_Proposal(ctx.policy.malformed_marking, "unassigned-marking", True, detail)]
    if mark is None and segment.kind in ctx.policy.release_headers:
        return [_Proposal("release", "header-release", detail=f"structural {segment.kind} line")]
    inherits_captions = segment.marking_source not in ("own", "continued", "parent")
    controls = set(mark.controls if mark else ()) | (ctx.captions if inherits_captions else set())
    above = mark is not None and not inherits_captions and mark.rank > ctx.banner_rank
    if ctx.declassified:
        return _declassified(ctx, controls, above)
    if not ctx.classified:
        return _unclassified_document(ctx, mark, controls)
    return _still_classified(ctx, mark, controls, above)


def _declassified(ctx: _Context, controls: set[str], above: bool) -> list[_Proposal]:
    policy, why = ctx.policy, ctx.evaluation.reason
    found = [_Proposal("release", "declassified-by-date", detail=f"document {why}")]
    if above:
        found.append(
            _Proposal(policy.above_banner, "above-banner", True, "portion above the banner")
        )
    controlled = sorted(controls & CONTROLLED_UNCLASSIFIED)
    if controlled:
        detail = f"controlled unclassified: {', '.join(controlled)}"
        found.append(
            _Proposal(policy.controlled_unclassified, "controlled-unclassified", False, detail)
        )
    listed = sorted(set(ctx.reasons) & set(policy.review_reasons))
    if listed:
        found.append(_Proposal("review", "review-reason", True, f"reasons {', '.join(listed)}"))
    return found


def _unclassified_document(
    ctx: _Context, mark: Marking | None, controls: set[str]
) -> list[_Proposal]:
    policy = ctx.policy
    found = [_control(ctx.policy, control) for control in sorted(controls)]
    if mark is None and ctx.document.level is None:
        # No banner, no routing level, no marking anywhere: nothing says the text is
        # unclassified, so a person decides (fail closed, docs/architecture.md 1 guarantee 1).
        detail = "the document carries no classification marking at all"
        found.append(
            _Proposal(
                policy.no_classification_evidence, "no-classification-evidence", False, detail
            )
        )
    elif mark is None:
        found.append(_Proposal(policy.unmarked_in_unclassified, "unmarked-in-unclassified"))
    else:
        found.append(_Proposal("release", "unclassified-portion", detail=f"portion {mark.raw}"))
        if mark.damaged:
            found.append(_Proposal(policy.malformed_marking, "malformed-marking", False, mark.raw))
    return found


def _still_classified(
    ctx: _Context, mark: Marking | None, controls: set[str], above: bool
) -> list[_Proposal]:
    policy, why = ctx.policy, ctx.evaluation.reason
    if mark is None:
        detail = "unmarked portion of a classified document takes the banner level"
        return [_Proposal(policy.unmarked_in_classified, "unmarked-in-classified", True, detail)]
    found: list[_Proposal] = []
    if mark.damaged:
        found.append(_Proposal(policy.malformed_marking, "malformed-marking", True, mark.raw))
    if above:
        found.append(
            _Proposal(policy.above_banner, "above-banner", True, "portion above the banner")
        )
    if mark.rank == 0:
        found += [_control(policy, control) for control in sorted(controls)]
        found.append(_Proposal("release", "unclassified-portion", detail=f"portion {mark.raw}"))
        return found
    if policy.audience == "partner":
        return found + _partner(ctx, mark, controls)
    if ctx.evaluation.status == "needs_review":
        found.append(
            _Proposal(policy.instruction_needs_review, "instruction-needs-review", True, why)
        )
    else:
        found.append(_Proposal("withhold", "classified-not-declassified", True, why))
    return found


def _partner(ctx: _Context, mark: Marking, controls: set[str]) -> list[_Proposal]:
    """Foreign disclosure: level, then controls, then a REL TO list naming the partner."""
    policy = ctx.policy
    partner = policy.partner or ""
    found = [_control(policy, control) for control in sorted(controls - {"REL TO"})]
    if mark.rank > LEVEL_RANK[policy.release_level]:
        found.append(_Proposal("withhold", "above-release-level", True, f"portion {mark.raw}"))
    if "REL TO" not in controls:
        detail = "classified portion without a foreign release marking is treated as NOFORN"
        found.append(_Proposal("withhold", "no-foreign-release-marking", True, detail))
    elif partner not in _expand(mark.rel_to or list(ctx.banner_rel_to)):
        found.append(
            _Proposal("withhold", "rel-to-excludes-partner", True, f"not releasable to {partner}")
        )
    found.append(_Proposal("release", "releasable-to-partner", detail=f"REL TO includes {partner}"))
    return found


def _control(policy: Policy, control: str) -> _Proposal:
    if control in CONTROLLED_UNCLASSIFIED:
        action = policy.controls.get(control, policy.controlled_unclassified)
        return _Proposal(action, "controlled-unclassified", False, f"control {control}")
    action = policy.controls.get(control, policy.unlisted_control)
    slug = "-".join(control.lower().replace("/", " ").split())
    return _Proposal(action, f"control-{slug}", True, f"control {control}")


def _expand(codes: list[str]) -> set[str]:
    expanded: set[str] = set()
    for code in codes:
        expanded.update(TETRAGRAPHS.get(code, (code,)))
    return expanded
