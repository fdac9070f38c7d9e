/**
 * @module compat/lib/compare — turns two replies (or a reply and an expectation) into a short
 * list of human-readable differences; an empty list means "the same".
 */
import type { Comparison, Expectation } from './case.js';
import type { Reply } from './http.js';
import { DEFAULT_HEADERS, PRESENCE_ONLY, normalizeText, type NormContext } from './normalize.js';

export interface Side {
  reply: Reply;
  ctx: NormContext;
}

export function headerValue(reply: Reply, name: string, ctx: NormContext): string | undefined {
  const v = reply.headers.get(name);
  if (v === undefined) return undefined;
  // Allow is a set (RFC 9110 §10.2.1); Apache's order follows internal method numbers.
  if (name === 'allow') return v.join(',').split(',').map((m) => m.trim()).filter(Boolean).sort().join(',');
  return normalizeText(v.join(' | '), ctx);
}

export function bodyText(side: Side, cmp: Comparison | undefined): string {
  const text = normalizeText(side.reply.body.toString('latin1'), side.ctx);
  return typeof cmp?.body === 'function' ? cmp.body(text) : text;
}

function clip(s: string | undefined, n = 160): string {
  if (s === undefined) return '(absent)';
  const j = JSON.stringify(s);
  return j.length > n ? j.slice(0, n) + '…' : j;
}

/** Where two texts first differ, with a little context on each side. */
export function textDiff(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 30);
  return `at ${i}: apache ${clip(a.slice(from, i + 70))} vs modpy ${clip(b.slice(from, i + 70))}`;
}

export function compareReplies(apache: Side, modpy: Side, cmp: Comparison | undefined): string[] {
  const diffs: string[] = [];
  if (apache.reply.status !== modpy.reply.status) diffs.push(`status: apache ${apache.reply.status} vs modpy ${modpy.reply.status}`);
  const ignore = new Set(cmp?.ignoreHeaders ?? []);
  const names = [...DEFAULT_HEADERS.filter((h) => !ignore.has(h)), ...(cmp?.headers ?? [])];
  for (const name of names) {
    const a = headerValue(apache.reply, name, apache.ctx);
    const b = headerValue(modpy.reply, name, modpy.ctx);
    if (PRESENCE_ONLY.has(name)) {
      if ((a === undefined) !== (b === undefined)) diffs.push(`${name}: apache ${a === undefined ? 'absent' : 'present'} vs modpy ${b === undefined ? 'absent' : 'present'}`);
    } else if (a !== b) {
      diffs.push(`${name}: apache ${clip(a)} vs modpy ${clip(b)}`);
    }
  }
  if (cmp?.framing !== false && apache.reply.framing !== modpy.reply.framing) {
    diffs.push(`framing: apache ${apache.reply.framing} vs modpy ${modpy.reply.framing}`);
  }
  if (cmp?.body !== 'ignore') {
    const a = bodyText(apache, cmp);
    const b = bodyText(modpy, cmp);
    if (a !== b) diffs.push(`body ${textDiff(a, b)}`);
  }
  return diffs;
}

/** Checks one reply against an expectation (deliberate differences, Apache's documented bugs). */
export function checkExpectation(side: Side, exp: Expectation, who: string): string[] {
  const diffs: string[] = [];
  if (exp.status !== undefined && side.reply.status !== exp.status) diffs.push(`${who} status ${side.reply.status}, expected ${exp.status}`);
  for (const [name, want] of Object.entries(exp.headers ?? {})) {
    const got = headerValue(side.reply, name.toLowerCase(), side.ctx);
    if (want === null) {
      if (got !== undefined) diffs.push(`${who} ${name} should be absent, got ${clip(got)}`);
    } else if (got === undefined || (typeof want === 'string' ? got !== want : !want.test(got))) {
      diffs.push(`${who} ${name}: ${clip(got)}, expected ${String(want)}`);
    }
  }
  if (exp.body !== undefined) {
    const body = normalizeText(side.reply.body.toString('latin1'), side.ctx);
    const ok = typeof exp.body === 'string' ? body === exp.body : exp.body.test(body);
    if (!ok) diffs.push(`${who} body ${clip(body)}, expected ${String(exp.body)}`);
  }
  return diffs;
}

export function checkBodyHas(side: Side, want: string | RegExp, who: string): string[] {
  const body = normalizeText(side.reply.body.toString('latin1'), side.ctx);
  const ok = typeof want === 'string' ? body.includes(want) : want.test(body);
  return ok ? [] : [`${who} body lacks ${String(want)}: ${clip(body)}`];
}
