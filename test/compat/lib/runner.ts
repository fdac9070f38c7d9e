/**
 * @module compat/lib/runner — runs one group: lays out the site, starts Apache + mod_python and
 * modpy on their own ports from the same site.conf, sends each case's requests to both (one at a
 * time, in order, so state carried between requests is observable), and judges every case.
 */
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaseGroup, CompatCase, CompatRequest, Differs, Listener } from './case.js';
import { checkBodyHas, checkExpectation, compareReplies, textDiff, type Side } from './compare.js';
import { logSize, readFrom, tokenLines } from './error-log.js';
import { freePorts } from './free-port.js';
import { parseRawReply, send, sendRaw, type Reply } from './http.js';
import { normalizeText, type NormContext } from './normalize.js';
import { APACHE_MODULES_DIR, startServer } from './servers.js';
import { stopProcess, type ServerProcess } from './server-process.js';
import { caseUrl, expand, removeGroup, writeGroup, writeWrapper, type GroupLayout, type Ports, type ServerDirs, type ServerKind } from './site.js';

export type Outcome = 'ok' | 'fail' | 'skip';

export interface CaseResult {
  name: string;
  area: CompatCase['area'];
  outcome: Outcome;
  /** Diff lines (fail) or the reason (skip). */
  detail: string[];
  /** For deliberate differences: the reason and what Apache answered. */
  differs?: { reason: string; apache: string };
  /** Apache's replies, summarised (shown with MODPY_COMPAT_VERBOSE=1). */
  seen: string[];
}

export interface RunOptions {
  apacheOnly: boolean;
  verbose: boolean;
  keep: boolean;
  filter?: RegExp;
}

interface Running {
  kind: ServerKind;
  ports: Ports;
  dirs: ServerDirs;
  ctx: NormContext;
  proc?: ServerProcess;
  startError?: string;
}

function contextFor(kind: ServerKind, layout: GroupLayout, dirs: ServerDirs, ports: Ports): NormContext {
  return {
    literals: [
      [dirs.varDir, 'VAR'],
      [dirs.dir, 'SERVERDIR'],
      [layout.site, 'SITE'],
    ],
    ports: [
      [ports.main, 'PORT'],
      [ports.vhost, 'PORT2'],
      [ports.conn, 'PORT3'],
    ],
  };
}

function portFor(ports: Ports, l: Listener | undefined): number {
  return l === 'vhost' ? ports.vhost : l === 'conn' ? ports.conn : ports.main;
}

/** name → value of the cookies a server set so far in one case (a minimal cookie jar). */
type Jar = Map<string, string>;

const ETAG_KEY = '\u0000etag';

function remember(jar: Jar, reply: Reply): void {
  const etag = reply.headers.get('etag')?.[0];
  if (etag) jar.set(ETAG_KEY, etag);
  for (const line of reply.headers.get('set-cookie') ?? []) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

async function exchange(server: Running, c: CompatCase, r: CompatRequest, jar: Jar): Promise<Reply> {
  const reply = await exchangeOnce(server, c, r, jar);
  remember(jar, reply);
  return reply;
}

async function exchangeOnce(server: Running, c: CompatCase, r: CompatRequest, jar: Jar): Promise<Reply> {
  const method = r.method ?? 'GET';
  const path = (r.path ?? '/').replace(/^@\//, caseUrl(c));
  const port = portFor(server.ports, r.listener);
  if (r.raw !== undefined) {
    const raw = r.raw.replaceAll('@/', caseUrl(c));
    const buf = await sendRaw(port, raw);
    return /^[A-Z]+ \S+ HTTP\//.test(raw) ? parseRawReply(buf, method) : { status: 0, headers: new Map(), body: buf, framing: 'close' };
  }
  const headers = { ...(r.headers ?? {}) };
  const cookies = [...jar].filter(([k]) => k !== ETAG_KEY);
  if (r.useCookies && cookies.length > 0) headers['Cookie'] = cookies.map(([k, v]) => `${k}=${v}`).join('; ');
  const etag = jar.get(ETAG_KEY);
  if (r.useEtag && etag) headers['If-None-Match'] = etag;
  return send(port, { method, path, headers, ...(r.body !== undefined ? { body: r.body } : {}) });
}

/** "status first-120-characters" of a normalised reply, for the verbose output and the doc. */
function summary(reply: Reply, ctx: NormContext): string {
  const body = normalizeText(reply.body.toString('latin1'), ctx);
  const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${reply.status}${snippet ? ` ${JSON.stringify(snippet)}` : ''}`;
}

/** Rewrites case files with an mtime clearly later than before, so an mtime check sees the change. */
async function rewriteFiles(layout: GroupLayout, c: CompatCase, files: Record<string, string>, step: number): Promise<void> {
  const later = new Date(Date.now() + (step + 5) * 1000);
  for (const [rel, content] of Object.entries(files)) {
    const path = join(layout.docroot, c.name, rel);
    await writeFile(path, expand(content, layout, c));
    await utimes(path, later, later);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Log lines with the case's token; waits briefly, since cleanup/log phases run after the reply. */
async function logLines(file: string, offset: number, token: string, wantAtLeast: number): Promise<string[]> {
  let lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    await sleep(i === 0 ? 150 : 100);
    lines = tokenLines(await readFrom(file, offset), token);
    if (lines.length >= wantAtLeast && i >= 1) break;
  }
  return lines;
}

async function runCase(c: CompatCase, layout: GroupLayout, apache: Running, modpy: Running | undefined): Promise<CaseResult> {
  const diffs: string[] = [];
  const differs = typeof c.expect === 'object' ? (c.expect as Differs) : undefined;
  const useModpy = modpy && !modpy.startError && !c.skip ? modpy : undefined;
  const aLog = await logSize(apache.dirs.errorLog);
  const mLog = useModpy ? await logSize(useModpy.dirs.errorLog) : 0;
  const apacheSeen: string[] = [];
  const apacheJar: Jar = new Map();
  const modpyJar: Jar = new Map();
  for (const [i, r] of c.requests.entries()) {
    if (r.rewrite) await rewriteFiles(layout, c, r.rewrite, i);
    if (r.delayMs) await sleep(r.delayMs);
    const label = c.requests.length > 1 ? `#${i} ` : '';
    let a: Side;
    try {
      a = { reply: await exchange(apache, c, r, apacheJar), ctx: apache.ctx };
    } catch (e) {
      diffs.push(`${label}apache: ${String(e)}`);
      continue;
    }
    apacheSeen.push(summary(a.reply, apache.ctx));
    // A case whose reference answered nothing proves nothing (e.g. a handler that failed to import).
    if (a.reply.status === 0 && a.reply.body.length === 0) diffs.push(`${label}apache answered nothing`);
    if (r.status !== undefined && a.reply.status !== r.status) diffs.push(`${label}apache status ${a.reply.status}, case expects ${r.status}: ${summary(a.reply, apache.ctx)}`);
    if (r.bodyHas !== undefined) diffs.push(...checkBodyHas(a, r.bodyHas, `${label}apache`));
    const aExp = differs?.apache?.[i];
    if (aExp) diffs.push(...checkExpectation(a, aExp, `${label}apache (documented upstream bug)`));
    if (!useModpy) continue;
    let m: Side;
    try {
      m = { reply: await exchange(useModpy, c, r, modpyJar), ctx: useModpy.ctx };
    } catch (e) {
      diffs.push(`${label}modpy: ${String(e)}`);
      continue;
    }
    const mExp = differs?.modpy[i];
    if (mExp) {
      diffs.push(...checkExpectation(m, mExp, `${label}modpy`));
    } else {
      diffs.push(...compareReplies(a, m, c.compare).map((d) => label + d));
      if (r.bodyHas !== undefined) diffs.push(...checkBodyHas(m, r.bodyHas, `${label}modpy`));
    }
  }
  if (c.compare?.log) {
    const token = c.compare.log;
    const aLines = await logLines(apache.dirs.errorLog, aLog, token, 1);
    if (aLines.length === 0) diffs.push(`apache wrote no error-log line with ${token}`);
    if (useModpy) {
      const mLines = await logLines(useModpy.dirs.errorLog, mLog, token, aLines.length);
      const a = aLines.join('\n');
      const b = mLines.join('\n');
      if (a !== b) diffs.push(`error log ${textDiff(a, b)}`);
    }
  }
  const result: CaseResult = { name: c.name, area: c.area, outcome: diffs.length ? 'fail' : 'ok', detail: diffs, seen: apacheSeen };
  if (c.skip && modpy) {
    result.outcome = diffs.length ? 'fail' : 'skip';
    result.detail = diffs.length ? [`(apache side) ${diffs.join('; ')}`] : [c.skip];
  }
  if (modpy?.startError && !c.skip) {
    result.outcome = 'fail';
    result.detail.unshift(`modpy did not start: ${modpy.startError.split('\n').slice(0, 6).join(' / ')}`);
  }
  if (differs) result.differs = { reason: differs.differs, apache: apacheSeen.join('; ') };
  return result;
}

async function start(kind: ServerKind, layout: GroupLayout, maxWorkers?: number): Promise<Running> {
  const [main, vhost, conn] = await freePorts(3);
  const ports: Ports = { main: main!, vhost: vhost!, conn: conn! };
  const dirs = await writeWrapper(kind, layout, ports, maxWorkers);
  const running: Running = { kind, ports, dirs, ctx: contextFor(kind, layout, dirs, ports) };
  try {
    running.proc = await startServer(kind, layout, dirs, ports);
  } catch (e) {
    running.startError = e instanceof Error ? e.message : String(e);
  }
  return running;
}

export async function runGroup(group: CaseGroup, opts: RunOptions, onResult: (r: CaseResult) => void): Promise<void> {
  const cases = group.cases.filter((c) => !opts.filter || opts.filter.test(`${c.area}/${c.name}`));
  if (cases.length === 0) return;
  const layout = await writeGroup({ ...group, cases }, APACHE_MODULES_DIR);
  let apache: Running | undefined;
  let modpy: Running | undefined;
  try {
    [apache, modpy] = await Promise.all([start('apache', layout, group.apacheMaxWorkers), opts.apacheOnly ? Promise.resolve(undefined) : start('modpy', layout)]);
    if (apache.startError) throw new Error(`Apache + mod_python did not start for group ${group.name}: ${apache.startError}`);
    for (const c of cases) {
      onResult(await runCase(c, layout, apache, modpy));
    }
  } finally {
    await Promise.all([apache?.proc && stopProcess(apache.proc), modpy?.proc && stopProcess(modpy.proc)]);
    if (!opts.keep) await removeGroup(layout);
  }
}
