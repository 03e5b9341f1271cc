// Moving through a review by keyboard, and choosing what a bulk action changes.
// Keys (when no text field has the focus): n or j the next segment pending review,
// p or k the previous one, x tick or untick the segment in focus, r release it,
// w withhold it (with the reason in the bulk box).

export const KEYS = {
  n: "next",
  j: "next",
  p: "previous",
  k: "previous",
  x: "tick",
  r: "release",
  w: "withhold",
};

/** True when a key press belongs to a text field, a list or a dialog, not to the page. */
export function isTyping(target) {
  if (!target || !target.closest) {
    return false;
  }
  if (target.tagName === "INPUT" && ["checkbox", "radio", "button"].includes(target.type)) {
    return Boolean(target.closest("dialog[open]"));
  }
  return Boolean(target.closest("input, textarea, select, [contenteditable], dialog[open]"));
}

/** The id of the next (``step`` 1) or previous (-1) pending segment after ``current``,
 * going round the document; null when nothing is pending. */
export function nextPending(segments, decisions, current, step) {
  const pending = new Set(decisions.filter((d) => d.action === "review").map((d) => d.segment));
  const ids = segments.map((s) => s.id);
  if (!pending.size) {
    return null;
  }
  const at = ids.indexOf(current);
  const start = at >= 0 ? at : step > 0 ? -1 : ids.length;
  for (let i = 1; i <= ids.length; i += 1) {
    const index = (((start + step * i) % ids.length) + ids.length) % ids.length;
    if (pending.has(ids[index])) {
      return ids[index];
    }
  }
  return null;
}

/**
 * What a bulk ``action`` changes among ``ids``: every segment whose decision is not
 * already ``action``, banners apart (they are always rewritten). ``skipped`` counts the
 * rest, so the page can say so.
 */
export function targetsOf(ids, segments, decisions, action) {
  const byId = new Map(segments.map((s) => [s.id, s]));
  const decided = new Map(decisions.map((d) => [d.segment, d]));
  const targets = [];
  let skipped = 0;
  for (const id of ids) {
    const segment = byId.get(id);
    const decision = decided.get(id);
    if (!segment || !decision || segment.kind === "banner" || decision.action === action) {
      skipped += 1;
    } else {
      targets.push(id);
    }
  }
  return { targets, skipped };
}
