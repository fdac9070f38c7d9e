/**
 * @module config/lexer — turns configuration text into logical lines and words, the way httpd's
 * ap_cfg_getline + ap_getword_conf do: `\` at end of line continues it, leading/trailing blanks
 * are dropped, a line whose first non-blank is `#` is a comment, and words may be quoted.
 */

export interface LogicalLine {
  text: string;
  /** 1-based number of the line's LAST physical line, which is what httpd reports. */
  line: number;
}

/** Splits text into logical lines (continuations joined), skipping blanks and comments.
 *  As httpd 2.4 (checked with apache2 -t): any backslash right before the newline continues
 *  the line, even an escaped one, and a comment ending in `\` swallows the next line too. */
export function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const out: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    let joined = physical[i] ?? '';
    while (joined.endsWith('\\') && i + 1 < physical.length) {
      joined = joined.slice(0, -1) + (physical[++i] ?? '');
    }
    const text = joined.trim();
    if (text === '' || text.startsWith('#')) continue;
    out.push({ text, line: i + 1 });
  }
  return out;
}

/** One word as ap_getword_conf reads it. Returns the word and the rest of the input. */
export function nextWord(input: string): { word: string; rest: string } | null {
  const s = input.replace(/^\s+/, '');
  if (s === '') return null;
  const quote = s[0];
  if (quote === '"' || quote === "'") {
    let end = 1;
    while (end < s.length && s[end] !== quote) {
      if (s[end] === '\\' && (s[end + 1] === quote || s[end + 1] === '\\')) end += 2;
      else end += 1;
    }
    const word = unescape(s.slice(1, Math.min(end, s.length)), quote);
    return { word, rest: s.slice(end + 1) };
  }
  const m = /^\S+/.exec(s);
  const raw = m ? m[0] : s;
  return { word: unescape(raw, null), rest: s.slice(raw.length) };
}

/** httpd's substring_conf: `\\` → `\` always, `\"` → `"` inside a matching quote. */
function unescape(raw: string, quote: string | null): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    const n = raw[i + 1];
    if (c === '\\' && (n === '\\' || (quote !== null && n === quote))) {
      out += n;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** All words of a string. */
export function splitWords(input: string): string[] {
  const words: string[] = [];
  let rest = input;
  for (;;) {
    const w = nextWord(rest);
    if (!w) return words;
    words.push(w.word);
    rest = w.rest;
  }
}
