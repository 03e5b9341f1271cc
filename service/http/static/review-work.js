// The reviewer's work beyond one segment: tick several segments and release or withhold
// them with one reason, move through the pending ones by keyboard, and download, open
// or discard the review file. ``page`` is what review.js shares: its state and its
// calls (run, refresh, applyChanges...), so there is one page state and one way to
// change it.

import { ApiError } from "./review-api.js";
import { changesFrom, checkReview, forgetReview } from "./review-file.js";
import { KEYS, isTyping, nextPending, targetsOf } from "./review-keys.js";
import { slice } from "./review-text.js";

const $ = (id) => document.getElementById(id);

export function reviewWork(page) {
  const { state, say, showError, run, call, refresh, applyChanges, decisionOf, jumpTo, currentReview } =
    page;

  function restoredNote(count, saved) {
    const when = saved.saved ? ` on ${saved.saved.slice(0, 10)}` : "";
    const noun = count === 1 ? "change" : "changes";
    return `Restored your review of this document: ${count} ${noun} saved in this browser${when}, as of ${saved.as_of}.`;
  }

  function showReviewNote(message) {
    $("review-note-text").textContent = message;
    $("review-note").hidden = !message;
  }

  // --- several segments at once, and the keyboard ------------------------------------

  function tick(id, on) {
    if (on) {
      state.picked.add(id);
    } else {
      state.picked.delete(id);
    }
    const box = $(`pick-${id}`);
    if (box) {
      box.checked = on;
    }
    updateBulk();
  }

  function updateBulk() {
    const count = state.picked.size;
    $("bulk-count").textContent = count
      ? `${count} segment${count === 1 ? "" : "s"} ticked.`
      : "No segment ticked.";
    for (const id of ["bulk-release", "bulk-withhold", "bulk-clear"]) {
      $(id).disabled = !count || state.busy > 0;
    }
  }

  function refuse(message, field) {
    showError(new ApiError(0, "bulk", message));
    $(field).focus();
    return false;
  }

  /** Release or withhold ``ids`` with the one reason of the bulk box: one override each,
   * in place of any earlier override of the same segment. True when it was applied. */
  async function applyBulk(ids, action) {
    const reason = $("bulk-reason").value.trim();
    const exemption = $("bulk-exemption").value.trim();
    const { targets, skipped } = targetsOf(ids, state.segments, state.current.decisions, action);
    if (!targets.length) {
      say(`Nothing to change: ${skipped === 1 ? "that segment is" : "those segments are"} already ${action === "release" ? "released" : "withheld"}, or a banner.`);
      return false;
    }
    if (!reason) {
      return refuse("give the reason for the change in “Reason for all”", "bulk-reason");
    }
    const bare = targets.some((id) => !decisionOf(state.proposed, id).exemptions.length);
    if (action === "withhold" && bare && !exemption) {
      return refuse("give the exemption that withholds them, e.g. (b)(6)", "bulk-exemption");
    }
    const reviewer = $("reviewer").value.trim();
    const kept = state.changes.filter(
      (c) => !(c.kind === "override" && targets.includes(c.override.segment)),
    );
    const added = targets.map((segment) => {
      const override = { segment, action, reason, reviewer };
      if (action === "withhold" && exemption) {
        override.exemption = exemption;
      }
      return { kind: "override", override };
    });
    const verb = action === "release" ? "Releasing" : "Withholding";
    const noun = targets.length === 1 ? "segment" : "segments";
    const ok = await applyChanges([...kept, ...added], `${verb} ${targets.length} ${noun}…`);
    if (ok) {
      for (const id of targets) {
        tick(id, false);
      }
    }
    return ok;
  }

  function clearTicks() {
    for (const id of [...state.picked]) {
      tick(id, false);
    }
  }

  function focusedSegment() {
    const box = document.activeElement ? document.activeElement.closest(".seg") : null;
    return box && $("document").contains(box) ? box.dataset.id : null;
  }

  /** n/j, p/k: the next or previous pending segment; x: tick; r/w: release or withhold. */
  async function onShortcut(event) {
    const command = KEYS[event.key];
    const modified = event.ctrlKey || event.metaKey || event.altKey;
    if (!command || modified || isTyping(event.target) || !state.current || state.busy) {
      return;
    }
    event.preventDefault();
    const current = focusedSegment();
    if (command === "next" || command === "previous") {
      const step = command === "next" ? 1 : -1;
      const id = nextPending(state.segments, state.current.decisions, current, step);
      if (id) {
        jumpTo(id);
      } else {
        say("No segment is pending review.");
      }
      return;
    }
    if (!current) {
      say("Move to a segment first: n goes to the next one pending review.");
      return;
    }
    if (command === "tick") {
      tick(current, !state.picked.has(current));
    } else if (await applyBulk([current], command)) {
      const next = nextPending(state.segments, state.current.decisions, current, 1);
      jumpTo(next || current);
    }
  }

  // --- the review file: download, upload, discard ----------------------------------

  function downloadReview() {
    if (!state.current) {
      return;
    }
    const text = JSON.stringify(currentReview(), null, 2) + "\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = `declass-review-${state.current.document.sha256.slice(0, 12)}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    say(`Downloaded ${link.download}.`);
  }

  async function openReview() {
    const input = $("review-upload");
    const file = input.files[0];
    input.value = "";
    if (!file) {
      return;
    }
    if (!state.current) {
      showError(new ApiError(0, "review-file", "open the document first, then its review file"));
      return;
    }
    let parsed = null;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      showError(new ApiError(0, "review-file", "this file is not a review file (not JSON)"));
      return;
    }
    const problem = checkReview(parsed, state.current.document.sha256, state.current.policy);
    if (problem) {
      showError(new ApiError(0, "review-file", problem));
      return;
    }
    await run("Applying the review file…", async () => {
      const base = { ...state.base, as_of: parsed.as_of };
      let proposed = state.proposed;
      if (parsed.as_of !== state.base.as_of) {
        proposed = await (await call("/v1/analyze", { json: base })).json();
      }
      const changes = changesFrom(parsed, proposed.document.segments, (a, b) => slice(state.points, a, b));
      await refresh(base, changes, () => {
        state.proposed = proposed;
        $("as-of").value = base.as_of;
      });
      const count = changes.length;
      showReviewNote(`Applied ${file.name.slice(0, 80)}: ${count} change${count === 1 ? "" : "s"}, as of ${base.as_of}.`);
    });
  }

  function discardReview() {
    if (!state.current) {
      return;
    }
    forgetReview(state.current.document.sha256, state.current.policy);
    showReviewNote("");
    applyChanges([], "Discarding your changes…");
  }

  function install() {
    document.addEventListener("keydown", onShortcut);
    $("document").addEventListener("change", (event) => {
      if (event.target.classList.contains("seg-pick")) {
        tick(event.target.dataset.id, event.target.checked);
      }
    });
    $("bulk-release").addEventListener("click", () => applyBulk([...state.picked], "release"));
    $("bulk-withhold").addEventListener("click", () => applyBulk([...state.picked], "withhold"));
    $("bulk-clear").addEventListener("click", clearTicks);
    $("review-download").addEventListener("click", downloadReview);
    $("review-upload").addEventListener("change", openReview);
    $("review-forget").addEventListener("click", discardReview);
    $("review-note-close").addEventListener("click", () => showReviewNote(""));
  }

  return { install, updateBulk, showReviewNote, restoredNote };
}
