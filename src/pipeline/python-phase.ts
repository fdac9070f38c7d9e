/**
 * @module pipeline/python-phase — runs one mod_python phase directive for a request: handler
 * list (configured + req.add_handler), interpreter choice, one PythonRequest per interpreter
 * (pinned; a child of the previous request's when internal_redirect stays in the interpreter),
 * and the two-way field sync around the call.
 */
import type { DirConfig, HandlerEntry, PhaseDirective } from '../config/types.js';
import type { PhaseCall } from '../workers/types.js';
import { ModpyError } from '../errors.js';
import { retryAfterOf } from '../workers/overload.js';
import { APLOG } from '../logs/log-level.js';
import { handlersFor, resolveEntryDirectory, selectInterpreterName } from './config-api.js';
import type { OpenPython, RequestRecord } from './request-record.js';
import { createRequestHost } from './request-host.js';
import { applyWorkerSync } from './request-headers.js';
import { DECLINED } from './hook-status.js';

/** Entries from <Directory ~ re> (or a wildcard <Directory>) get the shortest prefix of the
 *  filename that matches — the same resolution the interpreter choice uses. */
function resolveDirectories(entries: readonly HandlerEntry[], filename: string | null): readonly HandlerEntry[] {
  if (filename === null || !hasPatterns(entries)) return entries;
  return entries.map((e) => resolveEntryDirectory(e, filename));
}

const NO_HANDLERS: { hlist: readonly HandlerEntry[]; extension: string | null } = Object.freeze({ hlist: Object.freeze([]), extension: null });

/** The handler list for a phase: configured entries plus req.add_handler ones. Runs for every
 *  phase of every request: the common cases (no handlers; the configured list as is) allocate
 *  nothing. */
export function phaseHandlers(rec: RequestRecord, directive: PhaseDirective, dir: DirConfig): { hlist: readonly HandlerEntry[]; extension: string | null } {
  const { entries, extension } = handlersFor(dir, directive, rec.s.filename);
  const added = rec.addedHandlers.size > 0 ? rec.addedHandlers.get(directive) : undefined;
  if (added && added.length) return { hlist: resolveDirectories([...entries, ...added], rec.s.filename), extension };
  if (entries.length === 0) return extension === null ? NO_HANDLERS : { hlist: entries, extension };
  if (!hasPatterns(entries)) return { hlist: entries, extension };
  return { hlist: resolveDirectories(entries, rec.s.filename), extension };
}

function hasPatterns(entries: readonly HandlerEntry[]): boolean {
  for (const e of entries) if (e.directoryPattern) return true;
  return false;
}

/** Time budget for a request on a pool, as the bridge expects it. */
function deadlineFor(rec: RequestRecord, interpreter: string): number {
  return rec.site.poolSettings(interpreter).requestTimeoutMs;
}

/** The PythonRequest for `interpreter`, opened on first use. */
export async function openPython(rec: RequestRecord, interpreter: string): Promise<OpenPython> {
  const have = rec.python.get(interpreter);
  if (have) return have;
  const host = createRequestHost(rec, interpreter);
  const parent = rec.prev?.python.get(interpreter);
  const req = parent
    ? await parent.req.openChild(rec.head(), host, deadlineFor(rec, interpreter))
    : await rec.site.gateway.open(interpreter, rec.site.poolSettings(interpreter), rec.head(), host, deadlineFor(rec, interpreter));
  const open: OpenPython = { req, seen: 0 };
  rec.python.set(interpreter, open);
  return open;
}

/** Maps a bridge failure to the status it ends the request with, logging why. */
export function bridgeFailure(rec: RequestRecord, phase: string, err: unknown): number {
  const status = err instanceof ModpyError ? err.status : 500;
  const code = err instanceof ModpyError ? `${err.code}: ` : '';
  // A full queue or no startable worker: tell the client when to come back.
  const retryAfter = retryAfterOf(err);
  if (retryAfter !== undefined) {
    rec.s.err_headers_out.push(['Retry-After', String(retryAfter)]);
    rec.sync.touch('err_headers_out');
  }
  rec.log(APLOG.ERR, `${phase}: ${code}${err instanceof Error ? err.message : String(err)}`, 'python');
  return status;
}

/** Runs `directive` for the request; DECLINED when it has no handlers. */
export async function runPythonPhase(rec: RequestRecord, directive: PhaseDirective, dir: DirConfig = rec.dir): Promise<number> {
  const { hlist, extension } = phaseHandlers(rec, directive, dir);
  if (hlist.length === 0) return DECLINED;
  return runHandlerList(rec, directive, hlist, extension, dir);
}

export async function runHandlerList(
  rec: RequestRecord,
  directive: string,
  hlist: readonly HandlerEntry[],
  extension: string | null,
  dir: DirConfig,
): Promise<number> {
  try {
    const interpreter = selectInterpreterName(dir, rec.server.conf, rec.s.filename, hlist[0], rec.stats?.isDirectory() ?? false);
    const py = await openPython(rec, interpreter);
    const call: PhaseCall = { phase: directive, hlist, extension, sync: rec.sync.diff(py.seen) };
    const result = await py.req.runPhase(call);
    py.seen = applyWorkerSync(rec, result.sync);
    if (result.addedHandlers) {
      for (const [phase, entries] of Object.entries(result.addedHandlers)) {
        // Handlers added for the running phase already ran inside the worker.
        if (phase === directive || entries.length === 0) continue;
        const list = rec.addedHandlers.get(phase) ?? [];
        list.push(...entries);
        rec.addedHandlers.set(phase, list);
      }
    }
    if (typeof result.status !== 'number' || !Number.isInteger(result.status)) return 500;
    return result.status;
  } catch (err) {
    return bridgeFailure(rec, directive, err);
  }
}
