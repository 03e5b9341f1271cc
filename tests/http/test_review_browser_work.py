# ruff: noqa: F811  (the fixtures imported below are parameters of the tests, as pytest wants)
"""Review work that lasts, in headless Chromium: kept across a reload and restored with a
notice, downloaded and uploaded as a review file (refused for another document or
policy), bulk release and withholding with one reason, and the keyboard.

The server, browser and tab fixtures are those of ``test_review_browser.py`` (which
skips, saying why, without Chromium or Playwright).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from declass.rules.policy import load_policy
from declass.service.cli.main import main
from tests.conftest import API_KEY
from tests.http.test_review_browser import (  # noqa: F401  (fixtures)
    base_url,
    browser,
    enter_key,
    expect,
    page,
)

#: Three portions pending review (SBU goes to a person) and one released; no exemption
#: is proposed for them, so withholding them needs one.
MEMO = (
    "UNCLASSIFIED\n\n"
    "1. (SBU) The budget office met the auditors.\n\n"
    "2. (U) The office moved.\n\n"
    "3. (SBU) The new badge readers arrive in May.\n\n"
    "4. (SBU) Staff travel is frozen until June.\n\n"
    "UNCLASSIFIED\n"
)
PENDING = ["s002", "s004", "s005"]
SAVED_AS_OF = "2026-01-01"


def load(page: Any, as_of: str | None = None) -> None:
    enter_key(page)
    if as_of:
        page.fill("#as-of", as_of)
    page.fill("#paste", MEMO)
    page.click("#review-button")
    expect(page.locator("#document .seg")).to_have_count(6)


def tag(page: Any, segment: str) -> Any:
    return page.locator(f"#tag-{segment}")


def stored(page: Any) -> list[str]:
    keys: list[str] = page.evaluate("Object.keys(localStorage)")
    return [key for key in keys if key.startswith("declass.review:")]


def test_work_is_kept_and_restored_after_a_reload(page: Any) -> None:
    load(page, as_of=SAVED_AS_OF)
    page.fill("#bulk-reason", "cleared by the office")
    tag(page, "s001").focus()
    page.keyboard.press("n")
    expect(tag(page, "s002")).to_be_focused()
    page.keyboard.press("r")
    expect(tag(page, "s002")).to_contain_text("RELEASE (changed)")
    expect(tag(page, "s004")).to_be_focused()  # on to the next pending segment
    (key,) = stored(page)
    kept = json.loads(page.evaluate("(k) => localStorage.getItem(k)", key))
    assert kept["as_of"] == SAVED_AS_OF and kept["overrides"][0]["segment"] == "s002"
    assert "auditors" not in json.dumps(kept)  # no word of the document is kept
    assert API_KEY not in page.evaluate("JSON.stringify(localStorage)")

    page.reload()
    load(page)  # today's date in the field: the review's own date comes back with it
    expect(page.locator("#review-note")).to_be_visible()
    expect(page.locator("#review-note")).to_contain_text("Restored your review")
    expect(page.locator("#review-note")).to_contain_text("1 change")
    expect(page.locator("#as-of")).to_have_value(SAVED_AS_OF)
    expect(tag(page, "s002")).to_contain_text("RELEASE (changed)")
    expect(page.locator("#released")).to_contain_text("The budget office met the auditors.")
    expect(page.locator("#change-list li")).to_have_count(1)

    page.click("#review-forget")
    expect(page.locator("#change-list li")).to_have_count(0)
    expect(tag(page, "s002")).to_contain_text("REVIEW")
    assert stored(page) == []


def test_bulk_withhold_then_release_with_one_reason(page: Any) -> None:
    load(page)
    for segment in PENDING:
        page.check(f"#pick-{segment}")
    expect(page.locator("#bulk-count")).to_have_text("3 segments ticked.")
    page.fill("#bulk-reason", "personal privacy")
    page.click("#bulk-withhold")
    expect(page.locator("#error")).to_contain_text("exemption")
    expect(page.locator("#bulk-exemption")).to_be_focused()
    page.fill("#bulk-exemption", "(b)(6)")
    page.click("#bulk-withhold")
    for segment in PENDING:
        expect(tag(page, segment)).to_contain_text("WITHHOLD (changed)")
    expect(page.locator("#change-list li")).to_have_count(3)
    expect(page.locator("#bulk-count")).to_have_text("No segment ticked.")
    expect(page.locator("#released")).not_to_contain_text("badge readers")

    page.check("#pick-s002")
    page.check("#pick-s004")
    page.click("#bulk-release")
    expect(tag(page, "s002")).to_contain_text("RELEASE (changed)")
    expect(tag(page, "s004")).to_contain_text("RELEASE (changed)")
    expect(tag(page, "s005")).to_contain_text("WITHHOLD (changed)")
    expect(page.locator("#change-list li")).to_have_count(3)  # replaced, not stacked
    expect(page.locator("#released")).to_contain_text("The new badge readers arrive in May.")
    expect(page.locator("#released")).not_to_contain_text("Staff travel")


def test_the_keyboard_moves_through_pending_segments(page: Any) -> None:
    load(page)
    tag(page, "s001").focus()
    page.keyboard.press("p")  # backwards from the top: the last pending one
    expect(tag(page, "s005")).to_be_focused()
    page.keyboard.press("j")  # and round again
    expect(tag(page, "s002")).to_be_focused()
    page.keyboard.press("k")
    expect(tag(page, "s005")).to_be_focused()
    page.keyboard.press("x")
    expect(page.locator("#pick-s005")).to_be_checked()
    expect(page.locator("#bulk-count")).to_have_text("1 segment ticked.")

    page.keyboard.press("w")  # no reason yet: refused, and the reason box is ready
    expect(page.locator("#error")).to_contain_text("reason")
    expect(page.locator("#bulk-reason")).to_be_focused()
    page.keyboard.type("nothing to withhold")  # letters typed in a field are text, not keys
    expect(page.locator("#bulk-reason")).to_have_value("nothing to withhold")

    tag(page, "s002").focus()
    for segment in PENDING:
        expect(tag(page, segment)).to_be_focused()
        page.keyboard.press("r")
        expect(tag(page, segment)).to_contain_text("RELEASE (changed)")
    page.keyboard.press("n")
    expect(page.locator("#status")).to_have_text("No segment is pending review.")
    expect(page.locator("#released")).to_contain_text("Staff travel is frozen until June.")


def test_a_review_file_downloads_uploads_and_is_refused_elsewhere(
    page: Any, tmp_path: Path
) -> None:
    load(page, as_of=SAVED_AS_OF)
    page.check("#pick-s004")
    page.fill("#bulk-reason", "cleared")
    page.click("#bulk-release")
    expect(tag(page, "s004")).to_contain_text("RELEASE (changed)")
    with page.expect_download() as download:
        page.click("#review-download")
    saved = tmp_path / "review.json"
    saved.write_bytes(Path(download.value.path()).read_bytes())
    review = json.loads(saved.read_text(encoding="utf-8"))
    public = load_policy("public").ref
    assert review["policy"] == {"id": public.id, "version": public.version}
    assert review["as_of"] == SAVED_AS_OF
    assert [o["segment"] for o in review["overrides"]] == ["s004"]
    assert "badge" not in saved.read_text(encoding="utf-8")

    # The command line applies the same file to the same document.
    memo = tmp_path / "memo.txt"
    memo.write_text(MEMO, encoding="utf-8")
    released = tmp_path / "released.txt"
    assert main(["redact", str(memo), "--review", str(saved), "-o", str(released)]) == 0
    assert "The new badge readers arrive in May." in released.read_text(encoding="utf-8")

    page.click("#review-forget")
    expect(page.locator("#change-list li")).to_have_count(0)
    page.fill("#as-of", "2025-06-01")
    page.set_input_files("#review-upload", str(saved))
    expect(page.locator("#review-note")).to_contain_text("Applied review.json: 1 change")
    expect(tag(page, "s004")).to_contain_text("RELEASE (changed)")
    expect(page.locator("#as-of")).to_have_value(SAVED_AS_OF)

    other = tmp_path / "other.json"
    other.write_text(json.dumps({**review, "sha256": "0" * 64}), encoding="utf-8")
    page.set_input_files("#review-upload", str(other))
    expect(page.locator("#error")).to_contain_text("for another document")
    policy = tmp_path / "policy.json"
    made = {**review, "policy": {"id": "partner-gbr-secret", "version": public.version}}
    policy.write_text(json.dumps(made), encoding="utf-8")
    page.set_input_files("#review-upload", str(policy))
    expect(page.locator("#error")).to_contain_text("made under policy partner-gbr-secret")
    expect(page.locator("#change-list li")).to_have_count(1)  # the work on screen stands


def test_the_withholding_log_downloads_as_csv(page: Any) -> None:
    load(page)
    with page.expect_download() as download:
        page.click("button[data-format=vaughn]")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("document,segment,label,page,lines,marking,action,")
    assert [line.split(",")[1] for line in text.splitlines()[1:]] == PENDING
    assert "auditors" not in text
