"""Batch: the vaughn format, the combined ``vaughn.csv``, review files and PDF options."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from declass.rules.policy import load_policy
from declass.rules.review_file import text_sha256
from declass.service.cli.main import main
from tests.batch_trees import BAD_BYTES, GOOD, SECRET, cable, write_tree

AS_OF = "2010-01-01"
PUBLIC = load_policy("public").ref


def run(src: Path, out: Path, *extra: str) -> int:
    return main(["batch", str(src), "-o", str(out), "--as-of", AS_OF, "--jobs", "1", *extra])


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def manifest(out: Path) -> dict[str, dict[str, object]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["path"]: record for record in map(json.loads, lines)}


def test_the_combined_index_names_documents_by_path(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "in", {**GOOD, "bad/latin1.txt": BAD_BYTES["bad/latin1.txt"]})
    out = tmp_path / "out"
    assert run(src, out, "--format", "vaughn") == 1  # the bad document fails
    combined = read_csv(out / "vaughn.csv")
    documents = {row["document"] for row in combined}
    assert documents == {"a/b/paris.txt", "a/b/paris.pdf", "c/second.TXT", "top.txt", "z/crlf.txt"}
    own = read_csv(out / "top.txt.released.csv")
    assert [r["segment"] for r in own] == [
        r["segment"] for r in combined if r["document"] == "top.txt"
    ]
    assert {r["document"] for r in own} == {text_sha256(GOOD["top.txt"].decode("utf-8"))}
    assert SECRET not in (out / "vaughn.csv").read_text(encoding="utf-8")
    assert not list(out.glob(".vaughn.csv.*"))  # no temporary file left behind


def test_the_index_keeps_documents_already_current(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "in", GOOD)
    out = tmp_path / "out"
    assert run(src, out, "--format", "vaughn") == 0
    first = (out / "vaughn.csv").read_bytes()
    (out / "vaughn.csv").unlink()
    assert run(src, out, "--format", "vaughn") == 0
    assert {r["status"] for r in manifest(out).values()} == {"skipped"}
    assert (out / "vaughn.csv").read_bytes() == first


def test_no_index_without_the_vaughn_format(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "in", GOOD)
    out = tmp_path / "out"
    assert run(src, out) == 0
    assert not (out / "vaughn.csv").exists()


def test_a_path_that_looks_like_a_formula_is_escaped(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "in", {"=cmd.txt": cable("FORMULA")})
    out = tmp_path / "out"
    assert run(src, out, "--format", "vaughn") == 0
    assert {r["document"] for r in read_csv(out / "vaughn.csv")} == {"'=cmd.txt"}


def _review(text: bytes, segment: str, **fields: object) -> dict[str, object]:
    return {
        "sha256": text_sha256(text.decode("utf-8")),
        "policy": {"id": PUBLIC.id, "version": PUBLIC.version},
        "as_of": AS_OF,
        "overrides": [{"segment": segment, "action": "release", "reviewer": "A. Reviewer"}],
        **fields,
    }


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, Path]:
    """Two cables, a review releasing paragraph 1 of the first; none for the second."""
    first, second = cable("FIRST"), cable("SECOND")
    src = write_tree(tmp_path / "in", {"first.txt": first, "second.txt": second})
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    name = f"{text_sha256(first.decode('utf-8'))}.json"
    (reviews / name).write_text(json.dumps(_review(first, "s006")), encoding="utf-8")
    return src, reviews


def test_batch_applies_the_review_of_each_document(
    reviewed: tuple[Path, Path], tmp_path: Path
) -> None:
    src, reviews = reviewed
    out = tmp_path / "out"
    assert run(src, out, "--review", str(reviews)) == 0
    assert SECRET in (out / "first.txt.released.txt").read_text(encoding="utf-8")
    assert SECRET not in (out / "second.txt.released.txt").read_text(encoding="utf-8")
    records = manifest(out)
    assert records["first.txt"]["review"] is not None
    assert records["second.txt"]["review"] is None


def test_a_changed_review_redoes_its_document(reviewed: tuple[Path, Path], tmp_path: Path) -> None:
    src, reviews = reviewed
    out = tmp_path / "out"
    assert run(src, out, "--review", str(reviews)) == 0
    (review,) = reviews.iterdir()
    data = json.loads(review.read_text(encoding="utf-8"))
    data["overrides"] = []
    review.write_text(json.dumps(data), encoding="utf-8")
    assert run(src, out, "--review", str(reviews)) == 0
    records = manifest(out)
    assert (records["first.txt"]["status"], records["second.txt"]["status"]) == ("ok", "skipped")
    assert SECRET not in (out / "first.txt.released.txt").read_text(encoding="utf-8")


def test_a_review_that_does_not_fit_fails_its_document_only(
    reviewed: tuple[Path, Path], tmp_path: Path
) -> None:
    src, reviews = reviewed
    (review,) = reviews.iterdir()
    data = json.loads(review.read_text(encoding="utf-8"))
    review.write_text(json.dumps({**data, "as_of": "2011-01-01"}), encoding="utf-8")
    out = tmp_path / "out"
    assert run(src, out, "--review", str(reviews)) == 1
    records = manifest(out)
    assert records["first.txt"]["status"] == "error"
    assert "differs from the review file" in str(records["first.txt"]["error"])
    assert records["second.txt"]["status"] == "ok"


def test_batch_pdf_options_reach_the_pdf_and_the_manifest(tmp_path: Path) -> None:
    from pypdf import PdfReader

    src = write_tree(tmp_path / "in", {"top.txt": GOOD["top.txt"]})
    out = tmp_path / "out"
    assert run(src, out, "--format", "pdf", "--log", "--page-size", "a4") == 0
    reader = PdfReader(out / "top.txt.released.pdf")
    assert round(float(reader.pages[0].mediabox.height)) == 842
    assert "Redaction log" in reader.pages[-1].extract_text()
    assert manifest(out)["top.txt"]["pdf"] == {"log": True, "page_size": "a4"}
    assert run(src, out, "--format", "pdf") == 0  # other options: released again
    assert manifest(out)["top.txt"]["status"] == "ok"
