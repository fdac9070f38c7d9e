/**
 * @module pipeline/phases — the request life-cycle as one table, in Apache's hook order.
 * Each row: the hook it mirrors, the mod_python directives run at it (in order), the run rule
 * (how a Python result combines with Apache's own work for the hook) and that own work.
 * The runner (runner.ts) executes rows; docs/lifecycle.md draws the same table.
 *
 * Run rules (Apache's RUN_ALL / RUN_FIRST):
 *  - 'all':   OK and DECLINED both continue to Apache's own work; anything else ends the request.
 *  - 'first': OK means "handled": Apache's own work for the hook is skipped.
 *  - 'content': like 'first'; DECLINED falls back to the static handler.
 */
import type { PhaseDirective } from '../config/types.js';
import type { RequestRecord } from './request-record.js';
import { accessStep, authenticateFromFileStep, authenticateStep, authorizeStep } from './auth-steps.js';
import { decodeStep, fixupStep, mapToStorageStep, overrideTypeStep, translateStep, typeStep } from './storage-steps.js';
import { contentStep } from './content.js';
import { isPythonHandler } from './type-check.js';
import { applyEarlyHeaders } from './response-headers.js';
import { setEnvIfHeaderParser, setEnvIfPostReadRequest } from './setenvif.js';

export type RunRule = 'all' | 'first' | 'content';

export interface PhaseRow {
  /** Apache hook name. */
  readonly hook: string;
  readonly directives: readonly PhaseDirective[];
  readonly rule: RunRule;
  /** The row does not run at all for this request. */
  readonly skip?: (rec: RequestRecord) => boolean;
  /** The Python part does not run (the rest of the row still does). */
  readonly skipPython?: (rec: RequestRecord, directive: PhaseDirective) => boolean;
  /** Apache's own work that runs before the Python handlers (a module hooked earlier). */
  readonly early?: (rec: RequestRecord) => number | Promise<number>;
  /** Apache's own work for the hook. */
  readonly builtin?: (rec: RequestRecord) => number | Promise<number>;
}

/** Server-level PythonInitHandler runs at post-read-request; at header-parser only a
 *  directory-level list that differs from it runs (upstream never ran it: fixed here). */
function initAlreadyRan(rec: RequestRecord, directive: PhaseDirective): boolean {
  if (directive !== 'PythonInitHandler') return false;
  const list = rec.dir.pythonHandlers?.PythonInitHandler ?? [];
  const ran = rec.initRan ?? [];
  if (list.length !== ran.length) return false;
  return list.every((e, i) => e.handler === ran[i]?.handler && e.directory === ran[i]?.directory);
}

export const PHASES: readonly PhaseRow[] = [
  // mod_headers' early hook runs first (APR_HOOK_FIRST); mod_setenvif's (middle, loaded after
  // mod_python) after the Python handlers, as in httpd.
  {
    hook: 'post_read_request',
    directives: ['PythonInitHandler', 'PythonPostReadRequestHandler'],
    rule: 'all',
    early: applyEarlyHeaders,
    builtin: setEnvIfPostReadRequest,
  },
  // ap_process_request_internal: URI normalisation and decoding, then the <Location> walk.
  { hook: 'uri_decode', directives: [], rule: 'all', builtin: decodeStep },
  { hook: 'translate_name', directives: ['PythonTransHandler'], rule: 'first', builtin: translateStep },
  { hook: 'map_to_storage', directives: [], rule: 'all', builtin: mapToStorageStep },
  {
    hook: 'header_parser',
    directives: ['PythonInitHandler', 'PythonHeaderParserHandler'],
    rule: 'all',
    skipPython: (rec, d) => initAlreadyRan(rec, d),
    builtin: setEnvIfHeaderParser,
  },
  { hook: 'access_checker', directives: ['PythonAccessHandler'], rule: 'all', builtin: accessStep },
  {
    hook: 'check_user_id',
    directives: ['PythonAuthenHandler'],
    rule: 'first',
    skip: (rec) => !rec.authRequired,
    early: authenticateFromFileStep,
    builtin: authenticateStep,
  },
  { hook: 'auth_checker', directives: ['PythonAuthzHandler'], rule: 'first', skip: (rec) => !rec.authRequired, builtin: authorizeStep },
  { hook: 'type_checker', directives: ['PythonTypeHandler'], rule: 'first', builtin: typeStep },
  { hook: 'fixups', directives: ['PythonFixupHandler'], rule: 'all', early: overrideTypeStep, builtin: fixupStep },
  {
    hook: 'handler',
    directives: ['PythonHandler'],
    rule: 'content',
    skipPython: (rec) => !isPythonHandler(rec.s.handler),
    builtin: contentStep,
  },
];
