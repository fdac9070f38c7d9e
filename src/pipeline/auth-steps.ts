/**
 * @module pipeline/auth-steps — Apache's own access, authentication and authorization work
 * (mod_authz_core / mod_authz_host, mod_auth_basic + mod_authn_file), run after the Python
 * handler of the same hook declined. A 401 always carries `WWW-Authenticate: Basic realm=…`.
 */
import { authenticateBasic } from '../auth/basic.js';
import { authorize, decideAccess, type AuthzDecision, type AuthzFacts } from '../auth/require.js';
import { APLOG } from '../logs/log-level.js';
import type { RequestRecord } from './request-record.js';
import { DECLINED, OK } from './hook-status.js';

/** The request as Require sees it; `env` is made only when a `Require env` reads it. (A class:
 *  an object literal with a getter costs a new hidden class per request, and that GC.) */
class RequestFacts implements AuthzFacts {
  readonly method: string;
  readonly clientIp: string;
  #env: Record<string, string> | undefined;

  constructor(
    private readonly rec: RequestRecord,
    readonly user: string | null,
  ) {
    this.method = rec.method;
    this.clientIp = rec.ex.conn.clientIp;
  }

  get env(): Record<string, string> {
    if (this.#env === undefined) {
      this.#env = {};
      for (const [k, v] of this.rec.s.subprocess_env) this.#env[k] = v;
    }
    return this.#env;
  }
}

function facts(rec: RequestRecord, user: string | null): AuthzFacts {
  return new RequestFacts(rec, user);
}

/** Adds the Basic challenge (err_headers_out: it must survive the error page). */
export function noteBasicAuthFailure(rec: RequestRecord): void {
  const realm = (rec.dir.authName ?? '').replace(/"/g, '\\"');
  rec.s.err_headers_out.push(['WWW-Authenticate', `Basic realm="${realm}"`]);
  rec.sync.touch('err_headers_out');
}

/** access_checker: host-based rules; decides whether authentication must run. */
export function accessStep(rec: RequestRecord): number | Promise<number> {
  const d = rec.dir;
  // No Require and no AuthType (a <Location> handler, most often): granted (decideAccess()
  // would answer the same).
  if (!d.authType && !d.require?.length) return OK;
  // Rules without host or group providers (`Require all granted` …) are decided at once.
  const decision = decideAccess(d, facts(rec, null));
  return decision instanceof Promise ? decision.then((v) => afterAccess(rec, v)) : afterAccess(rec, decision);
}

function afterAccess(rec: RequestRecord, decision: AuthzDecision): number {
  if (decision === 'denied') {
    rec.log(APLOG.ERR, `client denied by server configuration: ${rec.s.filename ?? rec.s.uri}`, 'authz_core', 'AH01630');
    return 403;
  }
  rec.authRequired = decision === 'auth-required';
  return OK;
}

/**
 * check_user_id before PythonAuthenHandler: with AuthType Basic and an AuthUserFile,
 * mod_auth_basic runs first (Debian's module order, checked against Apache 2.4): a user in the
 * file is settled there (OK, or 401 on a wrong password or no credentials). A user the file
 * does not know is left to the PythonAuthenHandler when there is one (as with
 * AuthBasicAuthoritative Off), else 401. Without AuthUserFile, Python goes first.
 */
export async function authenticateFromFileStep(rec: RequestRecord): Promise<number> {
  const d = rec.dir;
  if (!d.authUserFile || d.authType?.toLowerCase() !== 'basic') return DECLINED;
  const header = rec.ex.req.headers.authorization;
  const result = await authenticateBasic(d, header);
  if (result.ok && result.user !== null) {
    rec.sync.set('user', result.user);
    rec.sync.set('ap_auth_type', 'Basic');
    return OK;
  }
  const unknownUser = header !== undefined && result.user !== null && /not found$/.test(result.reason ?? '');
  const hasPython = (d.pythonHandlers?.PythonAuthenHandler?.length ?? 0) > 0 || rec.addedHandlers.has('PythonAuthenHandler');
  if (unknownUser && hasPython) return DECLINED;
  if (header !== undefined) rec.log(APLOG.ERR, `${result.reason ?? 'authentication failure'}: "${rec.s.uri}"`, 'auth_basic', 'AH01617');
  noteBasicAuthFailure(rec);
  return 401;
}

/** check_user_id after PythonAuthenHandler declined: AuthType Basic with AuthUserFile. */
export async function authenticateStep(rec: RequestRecord): Promise<number> {
  const type = rec.dir.authType;
  if (!type || type.toLowerCase() !== 'basic') {
    rec.log(
      APLOG.ERR,
      `No authentication done but request not allowed without authentication for ${rec.s.uri}. Authentication not configured?`,
      'core',
      'AH00027',
    );
    return 500;
  }
  const header = rec.ex.req.headers.authorization;
  const result = await authenticateBasic(rec.dir, header);
  if (result.ok && result.user !== null) {
    rec.sync.set('user', result.user);
    rec.sync.set('ap_auth_type', 'Basic');
    return OK;
  }
  if (header !== undefined) rec.log(APLOG.ERR, `${result.reason ?? 'authentication failure'}: "${rec.s.uri}"`, 'auth_basic', 'AH01617');
  noteBasicAuthFailure(rec);
  return 401;
}

/** auth_checker after PythonAuthzHandler declined: Require with the authenticated user. */
export async function authorizeStep(rec: RequestRecord): Promise<number> {
  const decision = await authorize(rec.dir, facts(rec, rec.s.user));
  if (decision === 'granted') return OK;
  rec.log(APLOG.ERR, `user ${rec.s.user ?? ''}: authorization failure for "${rec.s.uri}": `, 'authz_core', 'AH01631');
  if (rec.dir.authType?.toLowerCase() === 'basic') noteBasicAuthFailure(rec);
  return 401;
}
