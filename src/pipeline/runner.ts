/**
 * @module pipeline/runner — runs the phase table (phases.ts) for a request record, then the
 * response ending (error page, DONE), the log phase and the cleanups. Internal redirects
 * (internal_redirect, ErrorDocument, DirectoryIndex) run a new record from the URI-decoding row
 * in the same exchange.
 */
import type { PhaseDirective } from '../config/types.js';
import { createError } from '../errors.js';
import { APLOG } from '../logs/log-level.js';
import { sendError } from './error-response.js';
import { noteBasicAuthFailure } from './auth-steps.js';
import { PHASES, type PhaseRow } from './phases.js';
import { phaseHandlers, runHandlerList, runPythonPhase } from './python-phase.js';
import { DECLINED, DONE, OK } from './hook-status.js';
import { RequestRecord } from './request-record.js';
import { splitQuery } from './request-target.js';
import { startFromRecord } from './request-host.js';
import { writeAccessLog } from './access-logging.js';
import { logMessage } from '../logs/messages.js';

/** Max internal redirects before Apache's AH00124 (LimitInternalRecursion). */
export const MAX_REDIRECTS = 10;

/** A row's or the table's result: a plain number when nothing had to wait (no Python handler,
 *  no file or network look-up), so a request through empty phases costs no promise per row. */
type Result = number | Promise<number>;

function runRow(rec: RequestRecord, row: PhaseRow): Result {
  if (!row.early) return runDirectives(rec, row, 0);
  const e = row.early(rec);
  return typeof e === 'number' ? afterEarly(rec, row, e) : e.then((v) => afterEarly(rec, row, v));
}

function afterEarly(rec: RequestRecord, row: PhaseRow, e: number): Result {
  if (e === OK && row.rule !== 'all') return OK;
  if (e !== OK && e !== DECLINED) return e;
  return runDirectives(rec, row, 0);
}

/** The row's Python directives from index `from`; a directive without handlers is skipped
 *  synchronously (it would answer DECLINED). */
function runDirectives(rec: RequestRecord, row: PhaseRow, from: number): Result {
  for (let j = from; j < row.directives.length; j++) {
    const directive = row.directives[j] as PhaseDirective;
    if (row.skipPython?.(rec, directive)) continue;
    const { hlist, extension } = phaseHandlers(rec, directive, rec.dir);
    if (hlist.length === 0) {
      noteInitRan(rec, row, directive);
      continue;
    }
    return runHandlerList(rec, directive, hlist, extension, rec.dir).then((r) => {
      noteInitRan(rec, row, directive);
      if (r === DECLINED || (r === OK && row.rule === 'all')) return runDirectives(rec, row, j + 1);
      const status = checkPythonResult(rec, directive, r);
      if (status === OK && row.rule === 'all') return runDirectives(rec, row, j + 1);
      return afterDirectives(rec, row, status);
    });
  }
  return afterDirectives(rec, row, DECLINED);
}

function noteInitRan(rec: RequestRecord, row: PhaseRow, directive: PhaseDirective): void {
  if (directive === 'PythonInitHandler' && row.hook === 'post_read_request') rec.initRan = rec.dir.pythonHandlers?.PythonInitHandler ?? [];
}

function afterDirectives(rec: RequestRecord, row: PhaseRow, status: number): Result {
  if (status !== DECLINED && !(status === OK && row.rule === 'all')) return status;
  return row.builtin ? row.builtin(rec) : OK;
}

/** Apache's special cases on a Python phase result. */
function checkPythonResult(rec: RequestRecord, directive: PhaseDirective, r: number): number {
  if (directive === 'PythonAuthenHandler') {
    if (r === OK && !rec.s.user) {
      const err = createError('PHASE_BAD_RESULT', 'PythonAuthenHandler returned OK but did not set req.user');
      rec.log(APLOG.ERR, `${err.code}: ${err.message}`, 'python');
      return 500;
    }
    // A challenge the handler set itself is kept; otherwise the 401 gets the Basic one.
    if (r === 401 && !rec.s.err_headers_out.some(([k]) => k.toLowerCase() === 'www-authenticate')) noteBasicAuthFailure(rec);
  }
  return r;
}

/** Runs rows from `start`; returns OK/DONE or the HTTP status that ended the request. */
function runRows(rec: RequestRecord, start: number): Result {
  for (let i = start; i < PHASES.length; i++) {
    const row = PHASES[i] as PhaseRow;
    if (row.skip?.(rec)) continue;
    const st = runRow(rec, row);
    if (typeof st !== 'number') return st.then((v) => (v === OK || v === DECLINED ? runRows(rec, i + 1) : v));
    if (st === OK || st === DECLINED) continue;
    return st;
  }
  return OK;
}

/** Sends what remains of the response once the phases are over. */
async function finish(rec: RequestRecord, status: number): Promise<void> {
  const channel = rec.ex.channel;
  if (status === OK || status === DONE) {
    if (channel.ended || channel.res.writableEnded) return;
    if (!channel.headSent) startFromRecord(rec, 0);
    await channel.end();
    return;
  }
  await sendError(rec, status);
}

/** Runs `rec` through the whole table, turning exceptions into a 500. */
async function process(rec: RequestRecord): Promise<void> {
  rec.ex.chain.push(rec);
  let status: number;
  try {
    status = await runRows(rec, 0);
  } catch (err) {
    const e = err as { status?: unknown; code?: unknown; message?: unknown };
    status = typeof e.status === 'number' ? e.status : 500;
    rec.log(APLOG.ERR, `${typeof e.code === 'string' ? e.code + ': ' : ''}${String(e.message ?? err)}`);
  }
  await finish(rec, status);
}

/** The whole request: phases, response, log phase, cleanups, PythonRequest.close(). */
export async function runRequest(rec: RequestRecord): Promise<void> {
  try {
    await process(rec);
  } finally {
    await endExchange(rec);
  }
}

/** Runs a new record for `uri` in the same exchange (req.internal_redirect, ErrorDocument, DirectoryIndex). */
export async function internalRedirect(
  from: RequestRecord,
  uri: string,
  opts: { method: string; errorStatus?: number },
): Promise<number> {
  if (from.depth + 1 >= MAX_REDIRECTS) {
    const err = createError('PHASE_REDIRECT_LOOP', MAX_REDIRECTS);
    from.log(APLOG.ERR, `${err.message} Use 'LimitInternalRecursion' to increase the limit if necessary.`, 'core', 'AH00124');
    await finish(from, 500);
    return OK;
  }
  const { path, query } = splitQuery(uri);
  const rec = new RequestRecord(from.site, from.server, from.ex, {
    uri: path,
    args: query,
    method: opts.method,
    unparsedUri: uri,
    prev: from,
  });
  // Apache's REDIRECT_* variables for the new request: every variable of the old one renamed
  // (rename_original_env), its status, its URL and query.
  const env = rec.s.subprocess_env;
  for (const [k, v] of from.s.subprocess_env) env.push([`REDIRECT_${k}`, v]);
  env.push(['REDIRECT_STATUS', String(opts.errorStatus ?? from.s.status)]);
  env.push(['REDIRECT_URL', from.s.uri]);
  if (from.s.args) env.push(['REDIRECT_QUERY_STRING', from.s.args]);
  if (opts.errorStatus !== undefined) {
    rec.forcedStatus = opts.errorStatus;
    rec.sync.set('status', opts.errorStatus);
  }
  rec.sync.touch('subprocess_env');
  // Every phase, post_read_request included: httpd runs that hook again for the new request
  // (PythonPostReadRequestHandler, a server-level PythonInitHandler, Header/RequestHeader early
  // and SetEnvIf see it; checked by compat).
  await process(rec);
  return OK;
}

/** The log and cleanup phases are empty for most requests: checked without a promise. */
function hasHandlers(rec: RequestRecord, directive: PhaseDirective): boolean {
  return phaseHandlers(rec, directive, rec.dir).hlist.length > 0;
}

/** Log phase (PythonLogHandler + access log), then cleanups and PythonRequest.close(). */
async function endExchange(first: RequestRecord): Promise<void> {
  const ex = first.ex;
  const last = ex.chain[ex.chain.length - 1] ?? first;
  try {
    if (hasHandlers(last, 'PythonLogHandler')) await runPythonPhase(last, 'PythonLogHandler');
  } catch (err) {
    last.log(APLOG.ERR, `PythonLogHandler: ${String(err)}`);
  }
  const channel = ex.channel;
  if (channel.closed && !channel.res.writableFinished) {
    logMessage(last.server.errorLog, 'CLIENT_ABORTED', { request: ex.theRequest, bytes: channel.bytesSent }, { client: last.clientString() });
  }
  writeAccessLog(first, last);
  // Cleanups run after the response was sent; their results are ignored (spec §3.4).
  for (const rec of ex.chain) {
    try {
      if (hasHandlers(rec, 'PythonCleanupHandler')) await runPythonPhase(rec, 'PythonCleanupHandler');
    } catch {
      // ignored, as in mod_python
    }
  }
  for (let i = ex.chain.length - 1; i >= 0; i--) {
    const rec = ex.chain[i] as RequestRecord;
    if (rec.python.size === 0) continue;
    for (const py of rec.python.values()) {
      try {
        await py.req.close();
      } catch (err) {
        rec.log(APLOG.WARNING, `closing the Python request failed: ${String(err)}`, 'python');
      }
    }
  }
  for (const c of ex.cleanups) {
    try {
      c();
    } catch (err) {
      first.log(APLOG.WARNING, `request cleanup failed: ${String(err)}`);
    }
  }
}

/** A request refused before the phases (limits, missing Host): error page, log, cleanups. */
export async function rejectRequest(rec: RequestRecord, status: number): Promise<void> {
  rec.ex.chain.push(rec);
  try {
    await sendError(rec, status);
  } finally {
    await endExchange(rec);
  }
}
