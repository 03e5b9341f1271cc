"""declass batch over a sample of the real cables (read in place; skipped where absent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from declass.rules.policy import load_policy
from declass.service.cli.main import main
from declass.service.pipeline import run
from tests.batch_trees import manifest, sha256

pytestmark = pytest.mark.corpus
SAMPLE = 50
AS_OF = "2026-11-28"


@pytest.fixture
def sample(corpus: list[Path], tmp_path: Path) -> list[Path]:
    """About fifty cables spread over the corpus, linked (not copied) into a tree."""
    chosen = corpus[:: max(1, len(corpus) // SAMPLE)][:SAMPLE]
    for index, path in enumerate(chosen):
        link = tmp_path / "in" / f"part{index % 3}" / path.name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path)
    return chosen


def test_a_sample_of_the_corpus_releases_cleanly(
    sample: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["batch", str(tmp_path / "in"), "-o", str(out), "--as-of", AS_OF, "--jobs", "2"]
    assert main([*argv, "--format", "text", "--format", "json"]) == 0
    records = manifest(out)
    assert len(records) == len(sample)
    assert {r["status"] for r in records} == {"ok"}
    by_name = {Path(r["path"]).name: r for r in records}
    policy, as_of = load_policy("public"), dt.date.fromisoformat(AS_OF)
    for path in sample[:5]:
        record, data = by_name[path.name], path.read_bytes()
        assert record["sha256"]["input"] == sha256(data)
        assert (out / record["outputs"]["text"]).read_bytes() == run(data, policy, as_of).output
    summary = capsys.readouterr().err.splitlines()[-1]
    assert f"{len(sample)} released, 0 already current, 0 failed" in summary
