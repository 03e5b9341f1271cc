"""No release of an adversarial document may carry a token the policy must withhold.

The documents in tests/data/adversarial are memos, reports, e-mail threads,
1970s telegrams and Cablegate-style cables written to trip a reader up: odd
and damaged banners, list leads and tables, quoted replies, Unicode look-alikes
and invisible characters, marks wrapped over two lines, collapsed paragraphs,
controlled-unclassified marks. Each is released under both shipped policies,
on both sides of its declassification date and as of today, in every format,
and also typeset as a PDF and read back the way an upload is. A leak-gate
refusal is safe; any other exception is a failure. ``-s`` prints recall.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from tests.adversarial_docs import (
    ADVERSARIAL,
    FORMATS,
    POLICIES,
    TOKEN,
    Document,
    check,
    describe,
    load_documents,
    pdf_documents,
    read_pdf,
    verdict,
)

DOCUMENTS = load_documents()
PDFS = [read_pdf(pdf, doc) for pdf, doc in pdf_documents(DOCUMENTS)]


def _cases(docs: list[Document]) -> list[object]:
    return [
        pytest.param(doc, policy, as_of, id=f"{doc.name}-{policy}-{as_of}")
        for doc in docs
        for policy in POLICIES
        for as_of in doc.as_of_dates()
    ]


def _assert_safe(doc: Document, policy: str, as_of: dt.date) -> None:
    problems = []
    for fmt in FORMATS:
        result = check(doc, policy, as_of, fmt)
        if result.crash:
            problems.append(f"{fmt}: crashed with {result.crash}")
        if result.leaked:
            problems.append(f"{fmt}: over-released {describe(doc, result.leaked)}")
    assert not problems, f"{doc.name} under {policy} as of {as_of}:\n" + "\n".join(problems)


@pytest.mark.parametrize(("doc", "policy", "as_of"), _cases(DOCUMENTS))
def test_document_never_releases_a_withheld_token(
    doc: Document, policy: str, as_of: dt.date
) -> None:
    _assert_safe(doc, policy, as_of)


@pytest.mark.parametrize(("doc", "policy", "as_of"), _cases(PDFS))
def test_pdf_upload_never_releases_a_withheld_token(
    doc: Document, policy: str, as_of: dt.date
) -> None:
    _assert_safe(doc, policy, as_of)


# --- the test data itself -------------------------------------------------------


def test_set_is_large_and_varied() -> None:
    assert 25 <= len(DOCUMENTS) <= 40
    assert len({doc.layout for doc in DOCUMENTS}) >= 10
    assert 3 <= len(PDFS) <= 5


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda doc: doc.name)
def test_manifest_names_every_token_once(doc: Document) -> None:
    """Every token in the text is in the manifest and the other way round, once each,
    and its letter is the level the reviewer read."""
    text = doc.data.decode("utf-8")
    found = TOKEN.findall(text)
    assert sorted(found) == sorted(doc.tokens), doc.name
    for token, portion in doc.tokens.items():
        (truth,) = portion.readings
        assert token[4] == truth.level[0], token


def test_manifest_covers_every_file() -> None:
    on_disk = {path.stem for path in ADVERSARIAL.glob("*.txt")}
    assert on_disk == {doc.name for doc in DOCUMENTS}


def test_oracle_asserts_both_ways() -> None:
    """The set holds tokens each policy must withhold and tokens it may release,
    before and after declassification."""
    seen: dict[str, set[str]] = defaultdict(set)
    for doc in DOCUMENTS:
        for policy in POLICIES:
            for as_of in doc.as_of_dates():
                after = "after" if doc.is_declassified(as_of) else "before"
                for portion in doc.tokens.values():
                    seen[f"{policy}-{after}"].add(verdict(portion, doc, policy, as_of))
    for key in ("public-before", "public-after", "partner-gbr-secret-before"):
        assert {"withhold", "release"} <= seen[key], key


def test_report_recall() -> None:
    """Not asserted: how much releasable text survives, and where leaks are, by layout
    (shown with ``-s``)."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    leaking_documents: set[str] = set()
    leaked_tokens: set[str] = set()
    for doc in DOCUMENTS + PDFS:
        for policy in POLICIES:
            for as_of in doc.as_of_dates():
                for fmt in FORMATS:
                    result = check(doc, policy, as_of, fmt)
                    row = rows[doc.layout]
                    row[0] += result.releasable
                    row[1] += result.released
                    row[2] += len(result.leaked)
                    row[3] += result.refused
                    row[4] += 1
                    if result.leaked:
                        leaking_documents.add(doc.name)
                        leaked_tokens.update(result.leaked)
    total = [sum(column) for column in zip(*rows.values(), strict=True)]
    print("\nadversarial set: layout, releasable, released, recall, leaks, refusals, runs")
    for layout, (able, did, leaks, refused, runs) in [*sorted(rows.items()), ("ALL", total)]:
        recall = f"{did / able:.0%}" if able else "-"
        print(f"  {layout:22} {able:5} {did:5} {recall:>5} {leaks:5} {refused:4} {runs:4}")
    print(
        f"  leaking documents: {len(leaking_documents)} of {len(DOCUMENTS) + len(PDFS)}; "
        f"distinct leaked tokens: {len(leaked_tokens)}"
    )
    assert total[4] > 0
