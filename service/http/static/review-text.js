// Text and offsets. The service counts in code points of the normalised text;
// JavaScript strings count UTF-16 units, so a character outside the Basic
// Multilingual Plane (an emoji, a mathematical letter) is one offset to the
// service and two to the DOM. Everything here converts at the boundary.

/** The text as the service normalises it: no leading BOM, LF line ends. */
export function canonical(text) {
  let result = text;
  while (result.startsWith("\uFEFF")) {
    result = result.slice(1);
  }
  return result.replace(/\r\n?/g, "\n");
}

/** The number of code points in a string (a lone surrogate counts as one). */
export function codePointLength(text) {
  let count = 0;
  for (const _ of text) {
    count += 1;
  }
  return count;
}

/** The code points of a text, one string each, so that slicing counts as the service does. */
export function codePoints(text) {
  return Array.from(text);
}

/** Characters ``start`` to ``end`` (code-point offsets). */
export function slice(points, start, end) {
  return points.slice(start, end).join("");
}

const SPACE = /\s/u;

/** The range without the white space at either end (double-click selects a trailing space). */
export function trimRange(points, start, end) {
  let from = start;
  let to = end;
  while (from < to && SPACE.test(points[from])) {
    from += 1;
  }
  while (to > from && SPACE.test(points[to - 1])) {
    to -= 1;
  }
  return [from, to];
}

/** Code points from the start of ``host`` to a DOM boundary point inside it. */
export function offsetIn(host, node, offset) {
  const range = document.createRange();
  range.setStart(host, 0);
  range.setEnd(node, offset);
  return codePointLength(range.toString());
}

/**
 * The selection inside one segment's text, as code-point offsets into the document,
 * or ``{note}`` saying why there is none. ``hostOf(node)`` finds the segment text
 * element that holds a node and ``segmentOf(host)`` the segment it shows.
 */
export function selectedSpan(selection, hostOf, segmentOf, points) {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
    return { note: "No words selected." };
  }
  const range = selection.getRangeAt(0);
  const host = hostOf(range.startContainer);
  if (!host || host !== hostOf(range.endContainer)) {
    return { note: "Select words inside one segment of the original." };
  }
  const segment = segmentOf(host);
  const base = segment.start;
  const start = base + offsetIn(host, range.startContainer, range.startOffset);
  const end = base + offsetIn(host, range.endContainer, range.endOffset);
  const [from, to] = trimRange(points, start, end);
  if (from >= to) {
    return { note: "The selection holds only white space." };
  }
  return { segment, start: from, end: to };
}

/** The selection of a read-only textarea showing text from ``base`` on, as document offsets. */
export function textareaSpan(textarea, base, points) {
  const value = textarea.value;
  const start = base + codePointLength(value.slice(0, textarea.selectionStart));
  const end = base + codePointLength(value.slice(0, textarea.selectionEnd));
  return trimRange(points, start, end);
}
