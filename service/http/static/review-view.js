// Building the page from API answers. Document text only ever enters the page
// as text nodes: ``el`` appends strings as text, and the page's Trusted Types
// CSP makes every assignment of a string to an HTML sink throw.

import { slice } from "./review-text.js";

export const LEVELS = {
  TS: "TOP SECRET",
  S: "SECRET",
  C: "CONFIDENTIAL",
  R: "RESTRICTED",
  U: "UNCLASSIFIED",
  none: "no marking",
};

const SOURCES = {
  own: "its own marking",
  entire_text: "from an ENTIRE TEXT statement",
  continued: "continued across a page break",
  parent: "inherited from its parent",
};

/** An element with attributes and children; strings become text nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}

export function levelOf(segment) {
  return segment.marking ? segment.marking.level : "none";
}

/** "¶2", "subject", "banner": how a reviewer names a segment. */
export function segmentName(segment) {
  if (segment.kind === "paragraph" && segment.label) {
    return "¶" + segment.label;
  }
  const kind = segment.kind.replace(/_/g, " ");
  return segment.label ? `${kind} ${segment.label}` : kind;
}

export function actionText(segment, decision) {
  if (segment.kind === "banner") {
    return "REWRITTEN to the released marking";
  }
  return decision.action.toUpperCase() + (decision.override ? " (changed)" : "");
}

function list(values) {
  return values && values.length ? values.join(", ") : "none";
}

/** Term/value pairs that explain a decision: the tooltip and the dialog show them. */
export function explain(segment, decision, proposed) {
  const level = levelOf(segment);
  const marking = segment.marking
    ? `${segment.marking.raw} · ${LEVELS[level]} · ${SOURCES[segment.marking_source] || SOURCES.own}`
    : "none";
  const rows = [
    ["Decision", decision.action],
    ["Rule", decision.rule],
    ["Reasons", list(decision.reasons)],
    ["Exemption", list(decision.exemptions)],
    ["Marking", marking],
  ];
  if (segment.marking && segment.marking.damaged) {
    rows.push(["Marking problems", list(segment.marking.problems)]);
  }
  if (decision.override) {
    const who = decision.override.reviewer ? ` (${decision.override.reviewer})` : "";
    rows.push(["Policy proposed", `${proposed.action} by ${proposed.rule}`]);
    rows.push(["Changed because", decision.override.reason + who]);
  } else if (decision.detail) {
    rows.push(["Note", decision.detail]);
  }
  return rows;
}

export function definitionList(rows, attrs = {}) {
  return el("dl", attrs, rows.map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
}

/** The segment's visible text with its span redactions marked; trailing newlines dropped. */
function textPieces(segment, points, spans) {
  let end = segment.end;
  while (end > segment.start && points[end - 1] === "\n") {
    end -= 1;
  }
  const pieces = [];
  let at = segment.start;
  for (const span of spans) {
    const from = Math.max(span.start, at);
    const to = Math.min(span.end, end);
    if (from >= to) {
      continue;
    }
    pieces.push(slice(points, at, from));
    pieces.push(
      el("mark", { class: "span", "data-exemption": span.exemption }, slice(points, from, to)),
    );
    at = to;
  }
  pieces.push(slice(points, at, end));
  return pieces.filter((piece) => piece !== "");
}

/** A box to tick the segment for a bulk action; none on a banner, which never changes.
 * Out of the Tab order, so Tab still goes segment to segment: x ticks the one in focus. */
function pickBox(segment, picked) {
  if (segment.kind === "banner") {
    return null;
  }
  return el("input", {
    type: "checkbox",
    class: "seg-pick",
    id: `pick-${segment.id}`,
    "data-id": segment.id,
    "aria-label": `Tick ${segmentName(segment)} · ${segment.id}`,
    tabindex: "-1",
    checked: picked,
  });
}

function segmentNode(segment, decision, proposed, points, spans, picked) {
  const level = levelOf(segment);
  const classes = ["seg", `lvl-${level}`, `act-${decision.action}`];
  if (decision.override) {
    classes.push("overridden");
  }
  const tag = el(
    "button",
    {
      type: "button",
      class: "seg-tag",
      id: `tag-${segment.id}`,
      "aria-describedby": `why-${segment.id}`,
      "aria-haspopup": "dialog",
    },
    el("span", { class: `chip lvl-${level}` }, level === "none" ? LEVELS.none : `${level} · ${LEVELS[level]}`),
    el("span", { class: "chip act" }, actionText(segment, decision)),
    el("span", { class: "seg-name" }, `${segmentName(segment)} · ${segment.id}`),
  );
  const text = el(
    "div",
    { class: "seg-text", "data-id": segment.id },
    textPieces(segment, points, spans),
  );
  const why = definitionList(explain(segment, decision, proposed), {
    class: "why",
    id: `why-${segment.id}`,
    role: "tooltip",
  });
  return el(
    "div",
    { class: classes.join(" "), "data-id": segment.id, role: "group", "aria-labelledby": tag.id },
    pickBox(segment, picked),
    tag,
    text,
    why,
  );
}

/** The original document, one box per segment. */
export function renderDocument(container, view) {
  const decisions = new Map(view.current.decisions.map((d) => [d.segment, d]));
  const proposed = new Map(view.proposed.decisions.map((d) => [d.segment, d]));
  const nodes = view.segments.map((segment) =>
    segmentNode(
      segment,
      decisions.get(segment.id),
      proposed.get(segment.id),
      view.points,
      view.current.spans.filter((span) => span.segment === segment.id),
      view.picked.has(segment.id),
    ),
  );
  container.replaceChildren(...nodes);
}

// What the service writes into a release: withheld-lines notes and span marks.
const GENERATED = /\[(?:\d+ lines? withheld[^\]\n]*|PENDING REVIEW[^\]\n]*|\(b\)\([^\]\n]*)\]/g;

function markGenerated(line) {
  const pieces = [];
  let at = 0;
  for (const match of line.matchAll(GENERATED)) {
    pieces.push(line.slice(at, match.index), el("mark", { class: "gone" }, match[0]));
    at = match.index + match[0].length;
  }
  pieces.push(line.slice(at));
  return pieces.filter((piece) => piece !== "");
}

/** Lines of ``text`` that ``before`` did not have (as many times), by index. */
function newLines(lines, before) {
  const had = new Map();
  for (const line of before) {
    had.set(line, (had.get(line) || 0) + 1);
  }
  const fresh = new Set();
  lines.forEach((line, index) => {
    const count = had.get(line) || 0;
    if (count > 0) {
      had.set(line, count - 1);
    } else if (line.trim()) {
      fresh.add(index);
    }
  });
  return fresh;
}

/**
 * The released text, with the service's own notes and span marks highlighted and the
 * lines that the last change brought marked; returns the first such line after the
 * head (the released marking and the stamp), to scroll to.
 */
export function renderReleased(pre, text, previous) {
  const lines = text.split("\n");
  const head = Math.max(lines.indexOf(""), 0);
  const fresh = previous === null ? new Set() : newLines(lines, previous.split("\n"));
  let first = null;
  const nodes = lines.map((line, index) => {
    const last = index === lines.length - 1;
    const pieces = [...markGenerated(line), last ? "" : "\n"];
    if (!fresh.has(index)) {
      return pieces;
    }
    const node = el("span", { class: "changed" }, pieces);
    if (first === null && index > head) {
      first = node;
    }
    return node;
  });
  pre.replaceChildren(...nodes.flat().filter((piece) => piece !== ""));
  return first;
}

export function renderSummary(dl, report) {
  const r = report.release;
  const rows = [
    ["Released marking", r.marking],
    ["Disposition", r.disposition],
    ["Segments released", String(r.released)],
    ["Withheld", String(r.withheld)],
    ["Pending review", String(r.review)],
    ["Spans redacted", String(r.spans)],
    ["Policy", `${report.policy.id} ${report.policy.version}`],
    ["As of", report.as_of],
  ];
  dl.replaceChildren(...rows.flatMap(([t, v]) => [el("dt", {}, t), el("dd", {}, v)]));
}

export function renderFacts(dl, report) {
  const d = report.document;
  const rows = [
    ["Banner", d.banner ? `${d.banner.raw} (${LEVELS[d.banner.level]})` : "none found"],
    ["Cable", d.cable_id || "unknown"],
    ["Origin date", d.origin_date || "unknown"],
    ["Declassification", d.declassification ? d.declassification.raw || "(withheld)" : "none"],
    ["Status as of " + report.as_of, report.evaluation.reason || report.evaluation.status],
    ["Classification reasons", d.classified_by ? list(d.classified_by.reasons) : "none"],
    ["Captions", list(d.captions)],
  ];
  dl.replaceChildren(...rows.flatMap(([t, v]) => [el("dt", {}, t), el("dd", {}, v)]));
}

/** How /v1/extract read a file, when a person must check it; "" when the text is as written.
 * Only the reader's name, page count and fixed notes: never words of the document. */
export function readerNote(found) {
  const held = found.untrusted.length;
  if (found.reader === "ocr") {
    const pages = found.pages ? ` (${found.pages} page${found.pages === 1 ? "" : "s"})` : "";
    const unsure = held
      ? ` OCR was unsure of ${held} passage${held === 1 ? "" : "s"}: their portions go to review.`
      : "";
    return `This text was read by OCR from a scan${pages}. Check it against the scan.${unsure}`;
  }
  if (found.reader === "docx" && (held || found.problems.length)) {
    const notes = found.problems.map((p) => p.detail).join("; ");
    return `This text was read from a Word file with held content${notes ? ` (${notes})` : ""}: the portions it may touch go to review.`;
  }
  return "";
}

/** Problems, each with a button that takes the reviewer to its segment. */
export function renderProblems(ul, problems, segments, onJump) {
  if (!problems.length) {
    ul.replaceChildren(el("li", {}, "None found."));
    return;
  }
  const byId = new Map(segments.map((s) => [s.id, s]));
  ul.replaceChildren(
    ...problems.map((problem) => {
      const segment = byId.get(problem.segment);
      const jump = segment
        ? el("button", { type: "button", class: "link" }, `${segmentName(segment)} · ${segment.id}`)
        : null;
      if (jump) {
        jump.addEventListener("click", () => onJump(segment.id));
      }
      return el("li", {}, jump, jump ? ": " : "", problem.detail || problem.code.replace(/_/g, " "));
    }),
  );
}

/** The reviewer's changes, newest last, each with its own undo button. */
export function renderChanges(ol, changes, describe, onUndo) {
  ol.replaceChildren(
    ...changes.map((change, index) => {
      const undo = el("button", { type: "button", class: "small" }, "Undo");
      undo.setAttribute("aria-label", `Undo: ${describe(change)}`);
      undo.addEventListener("click", () => onUndo(index));
      return el("li", {}, describe(change), " ", undo);
    }),
  );
}
