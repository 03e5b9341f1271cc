"""Decisions, rule by rule: each row is a small cable, a policy, a date and what must happen."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.engine import decide
from rules.parse import parse_document
from rules.policy import LoadedPolicy, load_policy, policy_from_mapping
from rules.release import Decision, Release

PUBLIC = load_policy("public")
PARTNER = load_policy("partner-gbr-secret")
D = dt.date.fromisoformat


def cable(
    body: str,
    banner: str = "C O N F I D E N T I A L PARIS 001234",
    decl: str | None = "E.O. 12958: DECL: 08/25/2016",
    captions: str = "SIPDIS",
) -> str:
    lines = ["O 251716Z AUG 06", "FM AMEMBASSY PARIS", "", banner, "", captions, ""]
    if decl:
        lines.append(decl)
    lines += [
        "TAGS: PREL FR",
        "SUBJECT: (U) INVENTED SUBJECT",
        "",
        "Classified By: Ambassador Jane Roe for reasons 1.4 (b) and (d)",
        "",
        body,
        "",
        "ROE",
    ]
    return "\n".join(lines) + "\n"


def released(text: str, policy: LoadedPolicy = PUBLIC, as_of: str = "2010-01-01") -> Release:
    return decide(parse_document(text), text, policy, D(as_of))


def decision_at(release: Release, text: str, needle: str) -> Decision:
    offset = text.index(needle)
    segment = next(s for s in release.document.segments if s.start <= offset < s.end)
    return release.decision_for(segment.id)


CASES = [
    # (id, body, banner, decl, captions, policy, as_of, needle, action, rule)
    (
        "classified before its date",
        "¶1. (C) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2010-01-01",
        "alpha",
        "withhold",
        "public/classified-not-declassified",
    ),
    (
        "declassified on its date",
        "¶1. (C) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2016-08-25",
        "alpha",
        "release",
        "public/declassified-by-date",
    ),
    (
        "day before the date",
        "¶1. (C) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2016-08-24",
        "alpha",
        "withhold",
        "public/classified-not-declassified",
    ),
    (
        "unclassified portion",
        "¶1. (U) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2010-01-01",
        "alpha",
        "release",
        "public/unclassified-portion",
    ),
    (
        "unmarked in classified",
        "¶1. alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2010-01-01",
        "alpha",
        "withhold",
        "public/unmarked-in-classified",
    ),
    (
        "unmarked released once declassified",
        "¶1. alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2026-11-28",
        "alpha",
        "release",
        "public/declassified-by-date",
    ),
    (
        "SBU goes to review",
        "¶1. (SBU) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2010-01-01",
        "alpha",
        "review",
        "public/controlled-unclassified",
    ),
    (
        "SBU stays in review after declassification",
        "¶1. (SBU) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2026-11-28",
        "alpha",
        "review",
        "public/controlled-unclassified",
    ),
    (
        "malformed marking withheld while classified",
        "¶7. C) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2010-01-01",
        "alpha",
        "withhold",
        "public/classified-not-declassified",
    ),
    (
        "malformed (U) marking in review while classified",
        "¶7. U) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2010-01-01",
        "alpha",
        "review",
        "public/malformed-marking",
    ),
    (
        "malformed marking released once declassified",
        "¶7. C) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2026-11-28",
        "alpha",
        "release",
        "public/declassified-by-date",
    ),
    (
        "above the banner in review",
        "¶1. (S) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2026-11-28",
        "alpha",
        "review",
        "public/above-banner",
    ),
    (
        "OADR stays classified for 25 years",
        "¶1. (C) alpha text.",
        None,
        "E.O. 12356: DECL: OADR",
        None,
        PUBLIC,
        "2020-01-01",
        "alpha",
        "withhold",
        "public/classified-not-declassified",
    ),
    (
        "OADR after 25 years goes to review",
        "¶1. (C) alpha text.",
        None,
        "E.O. 12356: DECL: OADR",
        None,
        PUBLIC,
        "2032-01-01",
        "alpha",
        "review",
        "public/instruction-needs-review",
    ),
    (
        "event instruction needs review",
        "¶1. (C) alpha text.",
        None,
        "E.O. 12958: DECL: TEN YEARS AFTER THE TREATY",
        None,
        PUBLIC,
        "2030-01-01",
        "alpha",
        "review",
        "public/instruction-needs-review",
    ),
    (
        "invalid date needs review",
        "¶1. (C) alpha text.",
        None,
        "E.O. 12958: DECL: 13/45/2016",
        None,
        PUBLIC,
        "2030-01-01",
        "alpha",
        "review",
        "public/instruction-needs-review",
    ),
    (
        "NOFORN caption does not touch a (U) portion",
        "¶1. (U) alpha text.",
        None,
        None,
        "NOFORN",
        PUBLIC,
        "2010-01-01",
        "alpha",
        "release",
        "public/unclassified-portion",
    ),
    (
        "SENSITIVE caption sends unmarked portions of an UNCLAS cable to review",
        "¶1. alpha text.",
        "UNCLAS PARIS 001234",
        "E.O. 12958: N/A",
        "SENSITIVE",
        PUBLIC,
        "2010-01-01",
        "alpha",
        "review",
        "public/controlled-unclassified",
    ),
    (
        "unmarked portion of an UNCLAS cable is unclassified",
        "¶1. alpha text.",
        "UNCLAS PARIS 001234",
        "E.O. 12958: N/A",
        "SIPDIS",
        PUBLIC,
        "2010-01-01",
        "alpha",
        "release",
        "public/unmarked-in-unclassified",
    ),
    (
        "a date on an UNCLAS cable releases no control",
        "¶1. (SBU) alpha text.",
        "UNCLAS PARIS 001234",
        None,
        None,
        PUBLIC,
        "2026-11-28",
        "alpha",
        "review",
        "public/controlled-unclassified",
    ),
    (
        "partner: REL TO GBR released",
        "¶1. (S//REL TO USA, GBR) alpha text.",
        "S E C R E T PARIS 001234",
        None,
        None,
        PARTNER,
        "2010-01-01",
        "alpha",
        "release",
        "partner-gbr-secret/releasable-to-partner",
    ),
    (
        "partner: FVEY includes GBR",
        "¶1. (C//REL TO USA, FVEY) alpha text.",
        None,
        None,
        None,
        PARTNER,
        "2010-01-01",
        "alpha",
        "release",
        "partner-gbr-secret/releasable-to-partner",
    ),
    (
        "partner: REL TO without GBR withheld",
        "¶1. (S//REL TO USA, AUS) alpha text.",
        "S E C R E T PARIS 001234",
        None,
        None,
        PARTNER,
        "2010-01-01",
        "alpha",
        "withhold",
        "partner-gbr-secret/rel-to-excludes-partner",
    ),
    (
        "partner: NOFORN withheld",
        "¶1. (S/NF) alpha text.",
        "S E C R E T PARIS 001234",
        None,
        None,
        PARTNER,
        "2010-01-01",
        "alpha",
        "withhold",
        "partner-gbr-secret/control-noforn",
    ),
    (
        "partner: no foreign release marking is NOFORN",
        "¶1. (C) alpha text.",
        None,
        None,
        None,
        PARTNER,
        "2010-01-01",
        "alpha",
        "withhold",
        "partner-gbr-secret/no-foreign-release-marking",
    ),
    (
        "partner: ORCON to review",
        "¶1. (S//OC/REL TO USA, GBR) alpha text.",
        "S E C R E T PARIS 001234",
        None,
        None,
        PARTNER,
        "2010-01-01",
        "alpha",
        "review",
        "partner-gbr-secret/control-orcon",
    ),
    (
        "partner: above its level withheld",
        "¶1. (TS//REL TO USA, GBR) alpha text.",
        "T O P S E C R E T PARIS 001234",
        None,
        None,
        PARTNER,
        "2010-01-01",
        "alpha",
        "withhold",
        "partner-gbr-secret/above-release-level",
    ),
    (
        "partner: NOFORN caption reaches unmarked sub-text only through its parent",
        "¶1. (S//REL TO USA, GBR) alpha text.",
        "S E C R E T PARIS 001234",
        None,
        "NOFORN",
        PARTNER,
        "2010-01-01",
        "alpha",
        "release",
        "partner-gbr-secret/releasable-to-partner",
    ),
    (
        "header lines released while classified",
        "¶1. (C) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2010-01-01",
        "TAGS",
        "release",
        "public/header-release",
    ),
    (
        "banner rewritten",
        "¶1. (C) alpha text.",
        None,
        None,
        None,
        PUBLIC,
        "2010-01-01",
        "PARIS 001234",
        "release",
        "public/banner-remarked",
    ),
]


@pytest.mark.parametrize(
    ("body", "banner", "decl", "captions", "policy", "as_of", "needle", "action", "rule"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_decision(
    body: str,
    banner: str | None,
    decl: str | None,
    captions: str | None,
    policy: LoadedPolicy,
    as_of: str,
    needle: str,
    action: str,
    rule: str,
) -> None:
    kwargs: dict[str, str] = {}
    if banner is not None:
        kwargs["banner"] = banner
    if decl is not None:
        kwargs["decl"] = decl
    if captions is not None:
        kwargs["captions"] = captions
    text = cable(body, **kwargs)
    decision = decision_at(released(text, policy, as_of), text, needle)
    assert (decision.action, decision.rule) == (action, rule), decision


def test_missing_instruction_stays_classified_then_needs_review() -> None:
    text = cable("¶1. (C) alpha text.", decl=None)
    assert decision_at(released(text, as_of="2030-01-01"), text, "alpha").action == "withhold"
    late = decision_at(released(text, as_of="2032-01-01"), text, "alpha")
    assert (late.action, late.rule) == ("review", "public/instruction-needs-review")


def test_classified_withholding_carries_reasons_and_exemption() -> None:
    text = cable("¶1. (C) alpha text.")
    decision = decision_at(released(text), text, "alpha")
    assert decision.exemptions == ["(b)(1)"]
    assert decision.reasons == ["1.4(b)", "1.4(d)"]
    assert decision.lines == 1


def test_review_reasons_option_keeps_foreign_government_information_in_review() -> None:
    table = PUBLIC.policy.model_dump() | {"id": "fgi-careful", "review_reasons": ["1.4(b)"]}
    careful = policy_from_mapping(table, "test")
    text = cable("¶1. (C) alpha text.")
    decision = decision_at(released(text, careful, "2026-11-28"), text, "alpha")
    assert (decision.action, decision.rule) == ("review", "fgi-careful/review-reason")


def test_released_marking_of_a_declassified_confidential_cable_is_unclassified() -> None:
    text = cable("¶1. (C) alpha text.\n\n¶2. (U) beta text.")
    release = released(text, as_of="2026-11-28")
    assert release.summary.marking == "UNCLASSIFIED"
    assert release.summary.disposition == "RELEASE IN FULL"
    assert release.original_marking == "CONFIDENTIAL"


def test_partner_release_is_marked_for_the_partner() -> None:
    text = cable("¶1. (S//REL TO USA, GBR) alpha text.", banner="S E C R E T PARIS 001234")
    release = released(text, PARTNER)
    assert release.summary.marking == "SECRET//REL TO USA, GBR"


def test_contradictory_instructions_never_declassify() -> None:
    text = cable("¶1. (C) alpha text.\n\nE.O. 12958: DECL: 08/25/2036\n\n¶2. (C) beta text.")
    release = released(text, as_of="2026-11-28")
    assert release.evaluation.status == "needs_review"
    assert decision_at(release, text, "alpha").action != "release"


def test_every_segment_gets_exactly_one_decision() -> None:
    text = cable("¶1. (C) alpha text.\n\n¶2. (U) beta text.")
    release = released(text)
    assert [d.segment for d in release.decisions] == [s.id for s in release.document.segments]


def test_a_document_without_any_marking_goes_to_review() -> None:
    text = "The minister outlined a plan for the northern border.\n\nHe asked for help.\n"
    release = released(text)
    assert release.document.level is None
    assert {d.action for d in release.decisions} == {"review"}
    assert {d.rule for d in release.decisions} == {"public/no-classification-evidence"}


def test_an_unclassified_banner_is_evidence_enough() -> None:
    text = "UNCLASSIFIED\n\nThe embassy hosted a reception.\n\nUNCLASSIFIED\n"
    decision = decision_at(released(text), text, "reception")
    assert (decision.action, decision.rule) == ("release", "public/unmarked-in-unclassified")
