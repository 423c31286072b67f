// Offsets between the server (Python str indices: Unicode code points) and the browser (UTF-16 units).
// Mirrors annotator/text.py; a span covers text[start:end] in code points, end exclusive.

/** Tables for one text: utf16At[cp] is the UTF-16 offset of code point cp; cpAt[u] the reverse (or -1). */
export function offsetTables(text) {
  const utf16At = [];
  const cpAt = new Int32Array(text.length + 1).fill(-1);
  let unit = 0;
  let cp = 0;
  for (const ch of text) {          // iterates by code point
    utf16At.push(unit);
    cpAt[unit] = cp;
    unit += ch.length;              // 2 for astral characters (a surrogate pair)
    cp += 1;
  }
  utf16At.push(unit);
  cpAt[unit] = cp;
  return { utf16At: Int32Array.from(utf16At), cpAt, length: cp };
}

/** Code-point offset for a UTF-16 offset; an offset inside a surrogate pair moves to the pair's start. */
export function toCodePoint(tables, unit) {
  let u = unit;
  while (u > 0 && tables.cpAt[u] === -1) u -= 1;
  return tables.cpAt[u];
}

export function toUtf16(tables, cp) {
  return tables.utf16At[cp];
}

const WORD = /[\p{L}\p{N}\p{M}_'’-]/u;

/** Widen [start, end) (code points) to whole words and trim white space, like text.word_bounds. */
export function snapToWords(chars, start, end) {
  while (start < end && /\s/u.test(chars[start])) start += 1;
  while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
  while (start > 0 && WORD.test(chars[start - 1])) start -= 1;
  while (end < chars.length && WORD.test(chars[end])) end += 1;
  return [start, end];
}
