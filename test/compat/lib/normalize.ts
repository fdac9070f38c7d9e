/**
 * @module compat/lib/normalize — removes what legitimately differs between two servers that run
 * the same site: ports, per-server directories, dates, the server signature, session ids.
 */

export interface NormContext {
  /** [value, replacement] pairs applied first (longest paths first). */
  literals: [string, string][];
  ports: [number, string][];
}

const HTTP_DATE = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2}[ -](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT\b/g;
// "<address>Apache/2.4.71 (Debian) … Server at 127.0.0.1 Port 8080</address>" (ServerSignature On).
const SIGNATURE = /<address>[^<]*? Server at ([^<\s]+) Port [^<]*<\/address>/g;
const HEX32 = /\b[0-9a-f]{32}\b/g;

export function normalizeText(text: string, ctx: NormContext): string {
  let out = text;
  const literals = [...ctx.literals].sort((a, b) => b[0].length - a[0].length);
  for (const [value, name] of literals) if (value) out = out.split(value).join(name);
  out = out.replace(SIGNATURE, '<address>SIGNATURE at $1</address>');
  for (const [port, name] of ctx.ports) out = out.replace(new RegExp(`(?<![0-9])${port}(?![0-9])`, 'g'), name);
  out = out.replace(HTTP_DATE, 'HTTP-DATE');
  out = out.replace(HEX32, 'HEX32');
  return out;
}

/** Headers whose presence matters but whose value is server- or time-specific. */
export const PRESENCE_ONLY = new Set(['etag', 'expires']);

/** The headers compared in every case (spec: those a mod_python application can observe or set). */
export const DEFAULT_HEADERS = [
  'content-type',
  'location',
  'set-cookie',
  'www-authenticate',
  'allow',
  'etag',
  'last-modified',
  'cache-control',
  'expires',
  'content-range',
  'content-encoding',
];
