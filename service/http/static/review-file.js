// The review file: a reviewer's work on one document (its sha256, the policy id and
// version, the as-of date, the overrides and the span redactions), the same JSON the
// command line applies with ``declass redact --review``. The page keeps it in
// localStorage as work goes on, keyed by document and policy, and offers it for
// download and upload. It holds offsets, never words of the document: a span the
// page redacts is a range, and its quote is read back from the text on screen.

export const KIND = "declass-review";
const PREFIX = "declass.review:";

/** Where the work on one document under one policy is kept in this browser. */
export function storageKey(sha256, policy) {
  return `${PREFIX}${sha256}:${policy.id}:${policy.version}`;
}

/** The review file of the work on screen. */
export function reviewFile(report, asOf, work) {
  return {
    kind: KIND,
    version: 1,
    sha256: report.document.sha256,
    policy: { id: report.policy.id, version: report.policy.version },
    as_of: asOf,
    overrides: work.overrides,
    redactions: work.redactions,
  };
}

/** Keep ``file`` in this browser; work with no changes left is forgotten. */
export function saveReview(file) {
  const key = storageKey(file.sha256, file.policy);
  try {
    if (file.overrides.length || file.redactions.length) {
      localStorage.setItem(key, JSON.stringify({ ...file, saved: new Date().toISOString() }));
    } else {
      localStorage.removeItem(key);
    }
    return true;
  } catch {
    return false; // storage full or turned off: the work stays on screen only
  }
}

export function forgetReview(sha256, policy) {
  try {
    localStorage.removeItem(storageKey(sha256, policy));
  } catch {
    // nothing was kept
  }
}

/** The work kept for this document and policy, or null. */
export function savedReview(sha256, policy) {
  let file = null;
  try {
    file = JSON.parse(localStorage.getItem(storageKey(sha256, policy)) || "null");
  } catch {
    return null;
  }
  return file && checkReview(file, sha256, policy) === "" ? file : null;
}

/** Why ``file`` cannot be applied to this document under this policy; "" when it can. */
export function checkReview(file, sha256, policy) {
  if (!file || typeof file !== "object" || file.kind !== KIND || file.version !== 1) {
    return "this is not a declass review file";
  }
  if (file.sha256 !== sha256) {
    const theirs = String(file.sha256).slice(0, 12);
    return `this review file is for another document (${theirs}…), not the one on screen (${sha256.slice(0, 12)}…)`;
  }
  const made = file.policy || {};
  if (made.id !== policy.id || made.version !== policy.version) {
    return `this review file was made under policy ${made.id} ${made.version}, not ${policy.id} ${policy.version}`;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(file.as_of || "")) {
    return "this review file has no as-of date";
  }
  if (!Array.isArray(file.overrides) || !Array.isArray(file.redactions)) {
    return "this review file has no list of overrides or redactions";
  }
  return "";
}

/** The page's list of changes from a review file: overrides, then span redactions, each
 * span placed in the segment its start falls in (what the service does too). */
export function changesFrom(file, segments, quoteOf) {
  const overrides = file.overrides.map((override) => ({ kind: "override", override }));
  const spans = file.redactions.map((redaction) => {
    if (typeof redaction.start !== "number") {
      return { kind: "span", redaction, quote: "(a phrase or pattern)", segment: null };
    }
    const holder = segments.find((s) => s.start <= redaction.start && redaction.start < s.end);
    const quote = quoteOf(redaction.start, redaction.end);
    return { kind: "span", redaction, quote, segment: holder ? holder.id : null };
  });
  return [...overrides, ...spans];
}
