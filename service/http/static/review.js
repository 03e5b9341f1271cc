// The review page: load a document, show the policy's decisions, let a reviewer
// change them (overrides) and redact words (range redactions), and show and
// download the release for exactly the decisions on screen. The reviewer's work is
// kept in this browser as a review file (review-file.js) and restored when the same
// document is reviewed again under the same policy; every figure shown comes from the API.

import { ApiError, call, fileName, storedKey, storeKey } from "./review-api.js";
import { canonical, codePointLength, codePoints, selectedSpan, slice, textareaSpan } from "./review-text.js";
import { changesFrom, reviewFile, savedReview, saveReview } from "./review-file.js";
import { reviewWork } from "./review-work.js";
import {
  LEVELS,
  definitionList,
  explain,
  levelOf,
  renderChanges,
  renderDocument,
  renderFacts,
  readerNote,
  renderProblems,
  renderReleased,
  renderSummary,
  segmentName,
} from "./review-view.js";

const $ = (id) => document.getElementById(id);
const REVIEWER_ITEM = "declass.reviewer";
const DOUBLE_CLICK_MS = 300;

const state = {
  text: null, // the normalised text on screen
  points: [], // its code points
  segments: [],
  proposed: null, // /v1/analyze: the policy's decisions
  current: null, // /v1/redact format=json: the decisions with the reviewer's changes
  base: null, // {text, policy, as_of} of what is on screen
  changes: [], // {kind: "override", override} | {kind: "span", redaction, quote, segment}
  selection: null, // a span selected in the original, ready to redact
  dialogSegment: null,
  extracted: null, // {text, untrusted} of the last PDF opened: its ranges of unsure order
  picked: new Set(), // ids of the segments ticked for a bulk release or withholding
  busy: 0,
  seq: 0,
};

// --- status and errors -------------------------------------------------------

function say(message) {
  $("status").textContent = message;
}

function showError(error) {
  const box = $("error");
  const detail = error instanceof ApiError ? error.message : "something went wrong in the page";
  box.textContent = "Refused: " + detail;
  box.hidden = false;
  say("");
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

function setBusy(delta) {
  state.busy += delta;
  const busy = state.busy > 0;
  document.body.classList.toggle("busy", busy);
  for (const button of document.querySelectorAll(".downloads button, #review-button, #undo")) {
    button.disabled = busy || (button.id === "undo" && !state.changes.length);
  }
  updateSelection();
  work.updateBulk();
}

/** Run one API exchange with the page marked busy; errors are shown, not thrown. */
async function run(message, work) {
  say(message);
  setBusy(1);
  try {
    await work();
    clearError();
    return true;
  } catch (error) {
    showError(error);
    if (!(error instanceof ApiError)) {
      console.error(error.name);
    }
    return false;
  } finally {
    setBusy(-1);
  }
}

// --- policies and the document ----------------------------------------------

async function loadPolicies() {
  await run("Loading the policies…", async () => {
    const data = await (await call("/v1/policies")).json();
    const select = $("policy");
    const previous = select.value || data.default;
    const options = data.policies.map((p) => {
      const option = document.createElement("option");
      option.value = p.id;
      option.textContent = `${p.title} (${p.id} ${p.version})`;
      return option;
    });
    select.replaceChildren(...options);
    select.value = data.policies.some((p) => p.id === previous) ? previous : data.default;
    say("");
  });
}

async function openFile() {
  const input = $("upload");
  const file = input.files[0];
  if (!file) {
    return;
  }
  const form = new FormData();
  form.append("file", file, file.name);
  const ok = await run(`Reading ${file.name}…`, async () => {
    const found = await (await call("/v1/extract", { form, accept: "application/json" })).json();
    $("paste").value = found.text;
    state.extracted = { text: found.text, untrusted: found.untrusted, note: readerNote(found) };
  });
  input.value = "";
  if (ok) {
    await reviewAndShow();
  }
}

function checkTiling(report, text) {
  const segments = report.document.segments;
  let at = 0;
  for (const segment of segments) {
    if (segment.start !== at) {
      break;
    }
    at = segment.end;
  }
  if (at !== codePointLength(text)) {
    throw new ApiError(0, "offsets", "the service read this text differently; reload the page");
  }
}

async function reviewAndShow() {
  if (await review()) {
    $("facts-title").scrollIntoView({ block: "start" });
    $("facts-title").focus({ preventScroll: true });
  }
}

/** Analyse the text in the box and show its release; true when it is on screen. */
async function review() {
  const text = canonical($("paste").value);
  const base = { text, policy: $("policy").value, as_of: $("as-of").value, ...layout(text) };
  if (!text.trim()) {
    showError(new ApiError(0, "empty", "paste a document or open a file first"));
    return false;
  }
  if (!base.policy || !base.as_of) {
    showError(new ApiError(0, "options", "choose a policy (enter the key to list them) and a date"));
    return false;
  }
  showReaderNote(text);
  const same = text === state.text;
  let changes = same ? state.changes : [];
  let notice = "";
  return run("Reviewing…", async () => {
    let proposed = await (await call("/v1/analyze", { json: base })).json();
    checkTiling(proposed, text);
    const saved = changes.length ? null : savedReview(proposed.document.sha256, proposed.policy);
    if (saved) {
      if (saved.as_of !== base.as_of) {
        // The review judged the decisions proposed as of its own date.
        base.as_of = saved.as_of;
        $("as-of").value = saved.as_of;
        proposed = await (await call("/v1/analyze", { json: base })).json();
      }
      const points = codePoints(text);
      changes = changesFrom(saved, proposed.document.segments, (a, b) => slice(points, a, b));
      notice = work.restoredNote(changes.length, saved);
    }
    await refresh(base, changes, () => {
      state.text = text;
      state.points = codePoints(text);
      state.segments = proposed.document.segments;
      state.proposed = proposed;
      if (!same) {
        state.picked = new Set();
      }
    });
    work.showReviewNote(notice);
  });
}

/** Say how the text on screen was read, while it is the text of the file opened. */
function showReaderNote(text) {
  const found = state.extracted;
  const note = found && found.text === text ? found.note : "";
  $("reader-note").textContent = note;
  $("reader-note").hidden = !note;
}

/** A PDF's ranges of unsure reading order go back with its text, while it is unchanged:
 * the service sends their portions to review. */
function layout(text) {
  const found = state.extracted;
  if (!found || found.text !== text || found.untrusted.length === 0) {
    return {};
  }
  return { untrusted: found.untrusted };
}

function reviewerWork(changes) {
  return {
    overrides: changes.filter((c) => c.kind === "override").map((c) => c.override),
    redactions: changes.filter((c) => c.kind === "span").map((c) => c.redaction),
  };
}

/** Ask for the release with ``changes``; only the newest answer reaches the screen. */
async function refresh(base, changes, before = () => {}) {
  const seq = ++state.seq;
  const body = { ...base, ...reviewerWork(changes), format: "json" };
  const report = await (await call("/v1/redact", { json: body })).json();
  if (seq !== state.seq) {
    return;
  }
  before();
  const same = state.base !== null && state.base.text === base.text;
  const previous = same ? state.current.text : null;
  Object.assign(state, { base, changes, current: report });
  keepWork();
  render(previous);
  const r = report.release;
  say(`Updated: ${r.released} released, ${r.withheld} withheld, ${r.review} for review.`);
}

function applyChanges(changes, message) {
  return run(message, () => refresh(state.base, changes));
}

/** The review file of what is on screen. */
function currentReview() {
  return reviewFile(state.current, state.base.as_of, reviewerWork(state.changes));
}

/** Keep the work in this browser after every change, so a reload loses nothing. */
function keepWork() {
  if (!saveReview(currentReview())) {
    say("This browser would not keep the review: download the review file to keep it.");
  }
}

// --- rendering ---------------------------------------------------------------

function segmentById(id) {
  return state.segments.find((s) => s.id === id);
}

function decisionOf(report, id) {
  return report.decisions.find((d) => d.segment === id);
}

function describe(change) {
  const segment = segmentById(change.kind === "span" ? change.segment : change.override.segment);
  const where = segment ? `${segmentName(segment)} (${segment.id})` : "the document";
  if (change.kind === "span") {
    const quote = change.quote.length > 60 ? change.quote.slice(0, 57) + "…" : change.quote;
    return `Redact “${quote}” in ${where} as ${change.redaction.exemption}`;
  }
  const o = change.override;
  const who = o.reviewer ? ` — ${o.reviewer}` : "";
  return `${o.action === "release" ? "Release" : "Withhold"} ${where}: “${o.reason}”${who}`;
}

/** Scroll the released pane, and only it, to what the last change brought. */
function showChanged(line) {
  const pane = $("released").closest(".released-pane");
  if (line && pane.scrollHeight > pane.clientHeight) {
    pane.scrollTop = Math.max(line.offsetTop - pane.clientHeight / 3, 0);
  }
}

function render(previous) {
  const focused = document.activeElement ? document.activeElement.id : "";
  renderFacts($("facts"), state.current);
  renderProblems($("problems"), state.proposed.document.problems, state.segments, jumpTo);
  state.picked = new Set([...state.picked].filter((id) => segmentById(id)));
  renderDocument($("document"), state);
  showChanged(renderReleased($("released"), state.current.text, previous));
  renderSummary($("summary"), state.current);
  renderChanges($("change-list"), state.changes, describe, undo);
  $("no-changes").hidden = state.changes.length > 0;
  $("workspace").hidden = false;
  state.selection = null;
  $("selection-note").textContent = "No words selected.";
  updateSelection();
  if (focused.startsWith("tag-") && $(focused)) {
    $(focused).focus();
  }
}

function jumpTo(id) {
  const tag = $(`tag-${id}`);
  tag.scrollIntoView({ block: "center" });
  tag.focus();
}

function undo(index) {
  const change = state.changes[index];
  const changes = state.changes.filter((_, i) => i !== index);
  return applyChanges(changes, `Undoing: ${describe(change)}…`);
}

// --- span redactions from a selection in the original ---------------------------

function hostOf(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const host = element ? element.closest(".seg-text") : null;
  return host && $("document").contains(host) ? host : null;
}

function redactable(segment) {
  if (segment.kind === "banner") {
    return "A banner line is rewritten to the released marking; it holds no span.";
  }
  if (decisionOf(state.current, segment.id).action !== "release") {
    return `${segmentName(segment)} is withheld already: only released text needs a span.`;
  }
  return "";
}

function updateSelection() {
  const selection = window.getSelection();
  const inside = selection && selection.anchorNode && $("document").contains(selection.anchorNode);
  if (inside && state.current) {
    const found = selectedSpan(selection, hostOf, (h) => segmentById(h.dataset.id), state.points);
    const refusal = found.segment ? redactable(found.segment) : found.note;
    state.selection = refusal ? null : found;
    $("selection-note").textContent = refusal || selectionText(found);
  }
  $("redact-selection").disabled = !state.selection || state.busy > 0;
}

function selectionText(found) {
  const quote = slice(state.points, found.start, found.end);
  const shown = quote.length > 60 ? quote.slice(0, 57) + "…" : quote;
  return `Selected “${shown}” in ${segmentName(found.segment)}.`;
}

function addSpan(segment, start, end, exemption) {
  const redaction = { start, end, exemption };
  const quote = slice(state.points, start, end);
  const change = { kind: "span", redaction, quote, segment: segment.id };
  window.getSelection().removeAllRanges();
  state.selection = null;
  return applyChanges([...state.changes, change], "Redacting…");
}

function redactSelection() {
  const found = state.selection;
  const exemption = $("exemption").value.trim();
  if (!found) {
    return;
  }
  if (!exemption) {
    showError(new ApiError(0, "exemption", "give the exemption for the span, e.g. (b)(6)"));
    $("exemption").focus();
    return;
  }
  addSpan(found.segment, found.start, found.end, exemption);
}

// --- the segment dialog: change a decision, or redact words by keyboard ---------

function overrideIndex(id) {
  return state.changes.findIndex((c) => c.kind === "override" && c.override.segment === id);
}

function visibleText(segment) {
  let end = segment.end;
  while (end > segment.start && state.points[end - 1] === "\n") {
    end -= 1;
  }
  return slice(state.points, segment.start, end);
}

function openDialog(id) {
  const segment = segmentById(id);
  const decision = decisionOf(state.current, id);
  const proposed = decisionOf(state.proposed, id);
  const banner = segment.kind === "banner";
  const changed = overrideIndex(id) >= 0;
  const target = decision.action === "release" ? "withhold" : "release";
  state.dialogSegment = id;
  $("dialog-title").textContent =
    `${segmentName(segment)} · ${id} · ${LEVELS[levelOf(segment)]} · ${decision.action}`;
  $("dialog-why").replaceChildren(...definitionList(explain(segment, decision, proposed)).children);
  $("flip-part").hidden = changed;
  $("flip-text").textContent = banner
    ? "A banner line is always rewritten to the released marking; its decision cannot change."
    : `Change the decision from ${decision.action} to ${target}:`;
  $("flip-controls").hidden = banner;
  $("flip-apply").textContent = target === "release" ? "Release this segment" : "Withhold this segment";
  $("flip-exemption-field").hidden = banner || target !== "withhold";
  $("flip-exemption").value = proposed.exemptions[0] || "";
  $("flip-reason").value = "";
  $("flip-reviewer").value = $("reviewer").value;
  $("restore-part").hidden = !changed;
  $("restore-text").textContent = `You changed this decision; the policy proposed ${proposed.action}.`;
  $("span-part").hidden = Boolean(redactable(segment));
  $("span-text").value = visibleText(segment);
  $("span-exemption").value = $("exemption").value;
  $("dialog-error").hidden = true;
  $("segment-dialog").showModal();
  const first = banner ? null : changed ? $("restore-apply") : $("flip-reason");
  if (first) {
    first.focus();
  }
}

function dialogError(message, field) {
  $("dialog-error").textContent = message;
  $("dialog-error").hidden = false;
  $(field).focus();
}

function flip() {
  const id = state.dialogSegment;
  const decision = decisionOf(state.current, id);
  const action = decision.action === "release" ? "withhold" : "release";
  const reason = $("flip-reason").value.trim();
  const exemption = $("flip-exemption").value.trim();
  if (!reason) {
    return dialogError("Give the reason for the change.", "flip-reason");
  }
  const needsExemption = action === "withhold" && !decisionOf(state.proposed, id).exemptions.length;
  if (needsExemption && !exemption) {
    return dialogError("Give the exemption that withholds it, e.g. (b)(6).", "flip-exemption");
  }
  const reviewer = $("flip-reviewer").value.trim();
  $("reviewer").value = reviewer;
  sessionStorage.setItem(REVIEWER_ITEM, reviewer);
  const override = { segment: id, action, reason, reviewer };
  if (action === "withhold" && exemption) {
    override.exemption = exemption;
  }
  $("segment-dialog").close();
  return applyChanges([...state.changes, { kind: "override", override }], "Changing…");
}

function restore() {
  const index = overrideIndex(state.dialogSegment);
  $("segment-dialog").close();
  return undo(index);
}

function spanFromDialog() {
  const segment = segmentById(state.dialogSegment);
  const [start, end] = textareaSpan($("span-text"), segment.start, state.points);
  const exemption = $("span-exemption").value.trim();
  if (start >= end) {
    return dialogError("Select the words to redact in the box above first.", "span-text");
  }
  if (!exemption) {
    return dialogError("Give the exemption for the span, e.g. (b)(6).", "span-exemption");
  }
  $("segment-dialog").close();
  return addSpan(segment, start, end, exemption);
}

// --- downloads -------------------------------------------------------------------

const EXTENSIONS = { text: "txt", pdf: "pdf", json: "json", vaughn: "csv" };

async function download(format) {
  if (!state.current) {
    return;
  }
  const body = { ...state.base, ...reviewerWork(state.changes), format };
  await run(`Preparing the ${format} release…`, async () => {
    const response = await call("/v1/redact", { json: body });
    const blob = await response.blob();
    const fallback = `declass-${state.current.document.sha256.slice(0, 12)}.${EXTENSIONS[format]}`;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName(response, fallback);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    say(`Downloaded ${link.download}.`);
  });
}

// --- wiring ----------------------------------------------------------------------

let pendingClick = null;

function onDocumentClick(event) {
  const box = event.target.closest(".seg");
  if (!box || state.busy || event.target.closest(".seg-pick")) {
    return;
  }
  clearTimeout(pendingClick);
  if (event.target.closest(".seg-tag")) {
    openDialog(box.dataset.id);
    return;
  }
  // A click on the text may be the start of a double-click that selects a word.
  if (event.detail === 1) {
    pendingClick = setTimeout(() => {
      if (window.getSelection().isCollapsed) {
        openDialog(box.dataset.id);
      }
    }, DOUBLE_CLICK_MS);
  }
}

/** Enter in a text field of the dialog applies that part of it. */
function onDialogKey(event) {
  if (event.key !== "Enter" || event.target.tagName !== "INPUT") {
    return;
  }
  event.preventDefault();
  if ($("flip-controls").contains(event.target)) {
    flip();
  } else if ($("span-part").contains(event.target)) {
    spanFromDialog();
  }
}

/** Put a segment's explanation where it hides no text of the segment, if there is room. */
function placeExplanation(event) {
  const box = event.target.closest(".seg");
  const why = box ? box.querySelector(".why") : null;
  if (!why) {
    return;
  }
  const rect = box.getBoundingClientRect();
  const height = why.offsetHeight || 180;
  // The span tool sticks to the top of the window on wide screens: nothing goes under it.
  const ceiling = Math.max(document.querySelector(".span-tool").getBoundingClientRect().bottom, 0);
  if (rect.top - ceiling >= height) {
    box.dataset.why = "above";
  } else if (window.innerHeight - rect.bottom >= height) {
    box.dataset.why = "below";
  } else {
    delete box.dataset.why;
  }
}

function onKey(event) {
  if (event.key !== "Escape") {
    return;
  }
  // Escape hides an explanation shown on hover or focus (WCAG 1.4.13).
  for (const box of document.querySelectorAll(".seg:hover, .seg:focus-within")) {
    box.classList.add("quiet");
  }
}

// Bulk actions, the keyboard and the review file's buttons (review-work.js).
const work = reviewWork({
  state,
  say,
  showError,
  run,
  call,
  refresh,
  applyChanges,
  decisionOf,
  jumpTo,
  currentReview,
});

function init() {
  const key = $("api-key");
  key.value = storedKey();
  key.addEventListener("change", () => {
    storeKey(key.value.trim());
    loadPolicies();
  });
  const reviewer = $("reviewer");
  reviewer.value = sessionStorage.getItem(REVIEWER_ITEM) || "";
  reviewer.addEventListener("change", () => sessionStorage.setItem(REVIEWER_ITEM, reviewer.value));
  $("load-form").addEventListener("submit", (event) => {
    event.preventDefault();
    reviewAndShow();
  });
  $("upload").addEventListener("change", openFile);
  for (const id of ["policy", "as-of"]) {
    $(id).addEventListener("change", () => state.text !== null && review());
  }
  $("document").addEventListener("click", onDocumentClick);
  $("document").addEventListener("mouseover", placeExplanation);
  $("document").addEventListener("focusin", placeExplanation);
  $("document").addEventListener("mouseout", (e) => e.target.closest(".seg")?.classList.remove("quiet"));
  $("document").addEventListener("focusout", (e) => e.target.closest(".seg")?.classList.remove("quiet"));
  document.addEventListener("keydown", onKey);
  work.install();
  document.addEventListener("selectionchange", updateSelection);
  // Keep the selection in the original when the button is pressed with the mouse.
  $("redact-selection").addEventListener("mousedown", (e) => e.preventDefault());
  $("redact-selection").addEventListener("click", redactSelection);
  $("undo").addEventListener("click", () => undo(state.changes.length - 1));
  $("flip-apply").addEventListener("click", flip);
  $("restore-apply").addEventListener("click", restore);
  $("span-apply").addEventListener("click", spanFromDialog);
  $("dialog-form").addEventListener("submit", (e) => e.preventDefault());
  $("segment-dialog").addEventListener("keydown", onDialogKey);
  $("dialog-close").addEventListener("click", () => $("segment-dialog").close());
  for (const button of document.querySelectorAll(".downloads button")) {
    button.addEventListener("click", () => download(button.dataset.format));
  }
  setBusy(0);
  loadPolicies();
}

init();
