/**
 * @module pipeline/uri-path — the request path as Apache 2.4.71 sees it: normalise first
 * (decode only unreserved %-escapes, merge slashes, resolve "." and ".."; climbing above "/" is a
 * 400), then decode the rest once (a bad escape is a 400; an encoded "/" or NUL is a 404, as
 * with AllowEncodedSlashes Off). The result can never name anything above its root, so later
 * joins with DocumentRoot/Alias targets stay inside them.
 */

export type UriPathResult =
  | { ok: true; path: string }
  | { ok: false; status: 400 | 404; message: string; info: boolean };

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function hexValue(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined || !/^[0-9A-Fa-f]{2}$/.test(a + b)) return -1;
  return parseInt(a + b, 16);
}

/** Step 1 (ap_normalize_path): returns null when the path is invalid. */
export function normalizePath(raw: string): string | null {
  // The common path has no escape, no dot segment and no doubled slash: already normal.
  if (raw.charCodeAt(0) === 47 && !raw.includes('%') && !raw.includes('/.') && !raw.includes('//')) return raw;
  let decoded = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== '%') {
      decoded += c;
      continue;
    }
    const v = hexValue(raw[i + 1], raw[i + 2]);
    if (v < 0) return null;
    const ch = String.fromCharCode(v);
    // Only unreserved characters are decoded here, so "%2e%2e" becomes ".." before the dot
    // segments are resolved (the CVE-2021-41773 fix); others stay escaped for step 2.
    decoded += UNRESERVED.test(ch) ? ch : raw.slice(i, i + 3);
    i += 2;
  }
  const out: string[] = [];
  const segments = decoded.split('/');
  const trailing = segments.length > 1 && (segments[segments.length - 1] === '' || segments[segments.length - 1] === '.' || segments[segments.length - 1] === '..');
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i] as string;
    if (s === '' || s === '.') continue; // merge slashes, drop "."
    if (s === '..') {
      if (out.length === 0) return null; // above the root
      out.pop();
      continue;
    }
    out.push(s);
  }
  let path = '/' + out.join('/');
  if (trailing && out.length > 0) path += '/';
  return path;
}

/** Steps 1 and 2 on the path part of the request target (no query string). */
export function decodeRequestPath(raw: string): UriPathResult {
  if (!raw.startsWith('/')) return { ok: false, status: 400, message: `invalid URI path (${raw})`, info: false };
  const normal = normalizePath(raw);
  if (normal === null) return { ok: false, status: 400, message: `AH10244: invalid URI path (${raw})`, info: false };
  if (!normal.includes('%')) return { ok: true, path: normal };
  let out = '';
  const bytes: number[] = [];
  const flush = () => {
    if (bytes.length) {
      out += Buffer.from(bytes).toString('latin1');
      bytes.length = 0;
    }
  };
  for (let i = 0; i < normal.length; i++) {
    const c = normal[i] as string;
    if (c !== '%') {
      flush();
      out += c;
      continue;
    }
    const v = hexValue(normal[i + 1], normal[i + 2]);
    if (v < 0) return { ok: false, status: 400, message: `AH10244: invalid URI path (${raw})`, info: false };
    if (v === 0x2f)
      return { ok: false, status: 404, message: `AH00026: found %2f (encoded '/') in URI path (${raw}), returning 404`, info: true };
    if (v === 0) return { ok: false, status: 404, message: `AH10244: invalid URI path (${raw})`, info: true };
    bytes.push(v);
    i += 2;
  }
  flush();
  // Apache keeps r->uri as raw bytes; we keep them as UTF-8 text when they form valid UTF-8.
  return { ok: true, path: latin1ToUtf8(out) };
}

function latin1ToUtf8(s: string): string {
  if (!/[\u0080-\u00ff]/.test(s)) return s;
  const buf = Buffer.from(s, 'latin1');
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : s;
}
