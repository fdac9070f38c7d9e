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
import { INTERNAL_REDIRECT_START, PHASES, type PhaseRow } from './phases.js';
import { DECLINED, DONE, OK, runPythonPhase } from './python-phase.js';
import { RequestRecord } from './request-record.js';
import { startFromRecord } from './request-host.js';
import { writeAccessLog } from './access-logging.js';
import { logMessage } from '../logs/messages.js';

/** Max internal redirects before Apache's AH00124 (LimitInternalRecursion). */
export const MAX_REDIRECTS = 10;

async function runRow(rec: RequestRecord, row: PhaseRow): Promise<number> {
  if (row.early) {
    const e = await row.early(rec);
    if (e === OK && row.rule !== 'all') return OK;
    if (e !== OK && e !== DECLINED) return e;
  }
  let status = DECLINED;
  for (const directive of row.directives) {
    if (row.skipPython?.(rec, directive)) continue;
    const r = await runPythonPhase(rec, directive);
    if (directive === 'PythonInitHandler' && row.hook === 'post_read_request') rec.initRan = rec.dir.pythonHandlers?.PythonInitHandler ?? [];
    if (r === DECLINED) continue;
    if (r === OK && row.rule === 'all') continue;
    status = checkPythonResult(rec, directive, r);
    if (status !== OK || row.rule !== 'all') break;
  }
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
    if (r === 401) {
      const realm = (rec.dir.authName ?? '').replace(/"/g, '\\"');
      if (!rec.s.err_headers_out.some(([k]) => k.toLowerCase() === 'www-authenticate')) {
        rec.s.err_headers_out.push(['WWW-Authenticate', `Basic realm="${realm}"`]);
        rec.sync.touch('err_headers_out');
      }
    }
  }
  return r;
}

/** Runs rows from `start`; returns OK/DONE or the HTTP status that ended the request. */
async function runRows(rec: RequestRecord, start: number): Promise<number> {
  for (let i = start; i < PHASES.length; i++) {
    const row = PHASES[i] as PhaseRow;
    if (row.skip?.(rec)) continue;
    const st = await runRow(rec, row);
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

/** Runs `rec` through the table from `start`, turning exceptions into a 500. */
async function process(rec: RequestRecord, start: number): Promise<void> {
  rec.ex.chain.push(rec);
  let status: number;
  try {
    status = await runRows(rec, start);
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
    await process(rec, 0);
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
  const q = uri.indexOf('?');
  const rec = new RequestRecord(from.site, from.server, from.ex, {
    uri: q < 0 ? uri : uri.slice(0, q),
    args: q < 0 ? null : uri.slice(q + 1),
    method: opts.method,
    unparsedUri: uri,
    prev: from,
  });
  // Apache's REDIRECT_* variables for the new request.
  const env = rec.s.subprocess_env;
  env.push(['REDIRECT_URL', from.s.uri]);
  if (from.s.args) env.push(['REDIRECT_QUERY_STRING', from.s.args]);
  if (opts.errorStatus !== undefined) {
    env.push(['REDIRECT_STATUS', String(opts.errorStatus)]);
    rec.forcedStatus = opts.errorStatus;
    rec.sync.set('status', opts.errorStatus);
  }
  rec.sync.touch('subprocess_env');
  await process(rec, INTERNAL_REDIRECT_START);
  return OK;
}

/** Log phase (PythonLogHandler + access log), then cleanups and PythonRequest.close(). */
async function endExchange(first: RequestRecord): Promise<void> {
  const ex = first.ex;
  const last = ex.chain[ex.chain.length - 1] ?? first;
  try {
    await runPythonPhase(last, 'PythonLogHandler');
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
      await runPythonPhase(rec, 'PythonCleanupHandler');
    } catch {
      // ignored, as in mod_python
    }
  }
  for (const rec of [...ex.chain].reverse()) {
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
