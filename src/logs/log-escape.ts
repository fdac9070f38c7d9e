/**
 * @module logs/log-escape — Apache's ap_escape_logitem: what an access-log field looks like when
 * it carries quotes, backslashes or non-printable bytes, so one request is always one line.
 */

const NAMED: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 13: '\\r', 34: '\\"', 92: '\\\\' };

function needsEscape(code: number): boolean {
  return code < 0x20 || code >= 0x7f || code === 34 || code === 92;
}

function escapeByte(code: number): string {
  return NAMED[code] ?? `\\x${code.toString(16).padStart(2, '0')}`;
}

/**
 * Escapes one field. Node hands us header bytes as latin-1 strings (one char per byte), so a
 * char up to 0xff is that byte; anything wider came from JavaScript or Python and is logged as
 * its UTF-8 bytes, like Apache would see them.
 * @example escapeLogItem('a "b"\t') // 'a \\"b\\"\\t'
 */
export function escapeLogItem(value: string): string {
  let i = 0;
  const n = value.length;
  while (i < n && !needsEscape(value.charCodeAt(i))) i++;
  if (i === n) return value; // the common case: nothing to do, no allocation
  let out = value.slice(0, i);
  for (; i < n; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) {
      const cp = value.codePointAt(i) as number;
      if (cp > 0xffff) i++; // the surrogate pair is one code point
      for (const byte of Buffer.from(String.fromCodePoint(cp), 'utf8')) out += escapeByte(byte);
    } else if (needsEscape(code)) {
      out += escapeByte(code);
    } else {
      out += value[i];
    }
  }
  return out;
}
