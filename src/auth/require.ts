/**
 * @module auth/require — mod_authz_core's Require evaluation: providers (all, ip, local, host,
 * env, method, valid-user, user, group), `Require not`, <RequireAll>/<RequireAny>/<RequireNone>,
 * and <Limit>/<LimitExcept> scoping. Results follow Apache's four-valued logic (granted, denied,
 * denied-no-user, neutral) so "Require not" and the containers combine exactly as in httpd.
 */
import { BoundedCache } from '../config/bounded-cache.js';
import type { DirConfig, LimitedRequire, RequireExpr } from '../config/types.js';
import { createError } from '../errors.js';
import { groupsOf } from './groups.js';
import { hostMatches, lookupClientHost } from './host-lookup.js';
import { compileIpMatcher, isLoopback, type IpMatcher } from './ip-match.js';

export interface AuthzFacts {
  method: string;
  clientIp: string;
  /** The authenticated user, or null when authentication has not run (or found none). */
  user: string | null;
  env: Record<string, string>;
  /** Double-reverse host name if already known; null = looked up, none; undefined = look up. */
  remoteHost?: string | null;
}

/**
 * 'granted'; 'denied' (403 — or 401 when a user was authenticated and failed, as httpd
 * re-prompts); 'auth-required' (a user-based rule decides and no user is known: authenticate,
 * then call again with the user).
 */
export type AuthzDecision = 'granted' | 'denied' | 'auth-required';

type Status = 'granted' | 'denied' | 'no-user' | 'neutral';

const KNOWN_PROVIDERS = new Set(['all', 'ip', 'local', 'host', 'env', 'method', 'valid-user', 'user', 'group']);

/** Rule leaves whose compiled form is reused across requests (ip lists). */
const ipMatchers = new WeakMap<object, IpMatcher>();

function leafError(expr: Extract<RequireExpr, { kind: 'require' }>, why: string): Error {
  return createError('AUTH_BAD_REQUIRE', `${expr.source.file}:${expr.source.line}: Require ${expr.provider}: ${why}`);
}

/**
 * Checks a Require tree at configuration load, so mistakes fail at start-up, not per request.
 * @throws MPY_ERR_AUTH_BAD_REQUIRE naming file, line and problem
 */
export function validateRequire(expr: RequireExpr): void {
  if (expr.kind !== 'require') {
    checkNegations(expr.kind, expr.children, expr.source);
    for (const child of expr.children) validateRequire(child);
    return;
  }
  const provider = expr.provider.toLowerCase();
  if (provider === 'expr') throw leafError(expr, 'expressions (ap_expr) are not supported by modpy; use the other providers inside <RequireAll>/<RequireAny>');
  if (!KNOWN_PROVIDERS.has(provider)) throw leafError(expr, `unknown authorization provider; modpy knows ${[...KNOWN_PROVIDERS].join(', ')}`);
  if (provider === 'all' && !(expr.args.length === 1 && /^(granted|denied)$/i.test(expr.args[0] as string))) {
    throw leafError(expr, "the argument must be 'granted' or 'denied'");
  }
  if (['ip', 'host', 'env', 'method', 'user', 'group'].includes(provider) && expr.args.length === 0) {
    throw leafError(expr, 'at least one argument is needed');
  }
  if (provider === 'ip') ipMatcher(expr);
}

const isNegative = (e: RequireExpr): boolean => (e.kind === 'require' ? e.negated : e.kind === 'none');

/** httpd refuses negations that can never matter, at configuration load; so do we (same words). */
function checkNegations(kind: 'all' | 'any' | 'none', children: readonly RequireExpr[], source: { file: string; line: number }): void {
  const where = `${source.file}:${source.line}`;
  const container = kind === 'any' ? '<RequireAny>' : kind === 'all' ? '<RequireAll>' : '<RequireNone>';
  if (kind !== 'all') {
    // A negation can only deny; inside "any" (or the implicit top level) and "none" that is moot.
    const negative = children.find(isNegative);
    if (negative) {
      const what = negative.kind === 'none' ? '<RequireNone> directive' : 'negative Require directive';
      throw createError('AUTH_BAD_REQUIRE', `${where}: ${what} has no effect in ${container} directive`);
    }
  } else if (children.length > 0 && children.every(isNegative)) {
    throw createError('AUTH_BAD_REQUIRE', `${where}: ${container} directive contains only negative authorization directives`);
  }
}

function ipMatcher(expr: Extract<RequireExpr, { kind: 'require' }>): IpMatcher {
  let m = ipMatchers.get(expr);
  if (!m) {
    m = compileIpMatcher(expr.args);
    ipMatchers.set(expr, m);
  }
  return m;
}

/** HEAD is GET for method checks, as in Apache (both are M_GET). */
function methodKey(method: string): string {
  const m = method.toUpperCase();
  return m === 'HEAD' ? 'GET' : m;
}

/** A status now, or a promise of one when it needs I/O (a host name look-up, a group file). */
type MaybeStatus = Status | Promise<Status>;

function checkProvider(expr: Extract<RequireExpr, { kind: 'require' }>, facts: AuthzFacts, dir: DirConfig): MaybeStatus {
  const args = expr.args;
  switch (expr.provider.toLowerCase()) {
    case 'all':
      return (args[0] ?? '').toLowerCase() === 'granted' ? 'granted' : 'denied';
    case 'ip':
      return ipMatcher(expr).matches(facts.clientIp) ? 'granted' : 'denied';
    case 'local':
      return isLoopback(facts.clientIp) ? 'granted' : 'denied';
    case 'host': {
      const matching = (host: string | null): Status => (host !== null && args.some((p) => hostMatches(host, p)) ? 'granted' : 'denied');
      return facts.remoteHost !== undefined ? matching(facts.remoteHost) : lookupClientHost(facts.clientIp).then(matching);
    }
    case 'env':
      return args.some((name) => facts.env[name] !== undefined) ? 'granted' : 'denied';
    case 'method': {
      const m = methodKey(facts.method);
      return args.some((a) => methodKey(a) === m) ? 'granted' : 'denied';
    }
    case 'valid-user':
      return facts.user === null ? 'no-user' : 'granted';
    case 'user':
      if (facts.user === null) return 'no-user';
      return args.includes(facts.user) ? 'granted' : 'denied';
    case 'group': {
      if (facts.user === null) return 'no-user';
      if (!dir.authGroupFile) return 'denied'; // httpd: AH01664 no group file → denied
      return groupsOf(dir.authGroupFile, facts.user).then((groups) => (args.some((g) => groups.includes(g)) ? 'granted' : 'denied'));
    }
    default:
      validateRequire(expr); // throws the precise error
      return 'denied';
  }
}

/** "Require not …" and <RequireNone>: granted becomes denied; a denial only becomes neutral. */
function negate(status: Status): Status {
  if (status === 'granted') return 'denied';
  if (status === 'denied' || status === 'no-user') return 'neutral';
  return status;
}

function evaluate(expr: RequireExpr, facts: AuthzFacts, dir: DirConfig): MaybeStatus {
  if (expr.kind !== 'require') return combine(expr.kind, expr.children, facts, dir);
  const status = checkProvider(expr, facts, dir);
  if (!expr.negated) return status;
  return status instanceof Promise ? status.then(negate) : negate(status);
}

/** One child's status folded into a container's result (`and`: <RequireAll>, else any/none). */
function fold(and: boolean, result: Status, status: Status): Status {
  if (status === 'neutral') return result;
  if (and) {
    if (status === 'denied') return status;
    return (status === 'no-user' && result !== 'denied') || result === 'neutral' ? status : result;
  }
  if (status === 'granted') return status;
  return (status === 'no-user' && result === 'denied') || result === 'neutral' ? status : result;
}

/**
 * Apache's apply_authz_sections: RequireAll is AND, RequireAny OR, RequireNone negated OR. The
 * children run in order until one settles the result (a denial for AND, a grant for OR); the
 * result is a promise only from the first child that needs I/O on, so rules without host or
 * group providers are decided at once.
 */
function combine(kind: 'all' | 'any' | 'none', children: readonly RequireExpr[], facts: AuthzFacts, dir: DirConfig, from = 0, before: Status = 'neutral'): MaybeStatus {
  const and = kind === 'all';
  let result = before;
  for (let i = from; i < children.length && result !== (and ? 'denied' : 'granted'); i++) {
    const status = evaluate(children[i] as RequireExpr, facts, dir);
    if (status instanceof Promise) return status.then((s) => combine(kind, children, facts, dir, i + 1, fold(and, result, s)));
    result = fold(and, result, status);
  }
  return kind === 'none' ? negate(result) : result;
}

function applies(entry: LimitedRequire, method: string): boolean {
  if (entry.methods === null) return true;
  const m = methodKey(method);
  const listed = entry.methods.some((x) => methodKey(x) === m);
  return entry.except ? !listed : listed;
}

function decision(status: Status): AuthzDecision {
  if (status === 'granted') return 'granted';
  if (status === 'no-user') return 'auth-required';
  return 'denied'; // denied, or neutral (nothing granted access)
}

/**
 * Decides access for one request: at once when no rule needs I/O (`Require all granted`, ip,
 * env, user …), else a promise. Require lines at the same level combine as <RequireAny>; when
 * none applies to the method, access is granted. `facts.env` is read only by `Require env`.
 * @throws MPY_ERR_AUTH_NO_REQUIRE (500) when AuthType is set but the directory has no Require
 *         at all, as httpd; MPY_ERR_AUTH_BAD_REQUIRE (unsupported provider); MPY_ERR_AUTH_GROUP_FILE
 *         (rejects)
 */
export function decideAccess(dir: DirConfig, facts: AuthzFacts): AuthzDecision | Promise<AuthzDecision> {
  // httpd (AH01627) refuses to guess what an AuthType without any Require should protect.
  if (dir.authType && (dir.require ?? []).length === 0) throw createError('AUTH_NO_REQUIRE');
  const exprs = (dir.require ?? []).filter((e) => applies(e, facts.method)).map((e) => e.expr);
  if (exprs.length === 0) return 'granted';
  const status = combine('any', exprs, facts, dir);
  return status instanceof Promise ? status.then(decision) : decision(status);
}

/** decideAccess() as a promise (its errors as rejections). */
export async function authorize(dir: DirConfig, facts: AuthzFacts): Promise<AuthzDecision> {
  return decideAccess(dir, facts);
}

function describe(expr: RequireExpr, out: string[]): void {
  if (expr.kind !== 'require') {
    for (const child of expr.children) describe(child, out);
    return;
  }
  out.push([expr.negated ? 'not' : '', expr.provider, ...expr.args].filter((w) => w !== '').join(' '));
}

/**
 * The Require lines that apply to `method`, as mod_python's req.requires() returns them:
 * ["valid-user"], ["user a b"], ["group admins"] (containers flattened, in order).
 */
export function requireLines(dir: DirConfig, method: string): readonly string[] {
  // Asked for every request (req.requires() is synced to Python): the lines of a merged config,
  // which is frozen and reused, are worked out once per method (methods are client input: the
  // cache stays small whatever clients send).
  let lines = linesOf.get(dir, method);
  if (!lines) {
    const out: string[] = [];
    for (const entry of dir.require ?? []) if (applies(entry, method)) describe(entry.expr, out);
    lines = Object.freeze(out);
    linesOf.set(dir, method, lines);
  }
  return lines;
}

const linesOf = new BoundedCache<DirConfig, readonly string[]>(16);

/** True when a user-based provider appears for `method` (authentication may be needed). */
const USER_PROVIDERS: ReadonlySet<string> = new Set(['valid-user', 'user', 'group']);

export function needsUser(dir: DirConfig, method: string): boolean {
  const visit = (e: RequireExpr): boolean => (e.kind === 'require' ? USER_PROVIDERS.has(e.provider.toLowerCase()) : e.children.some(visit));
  return (dir.require ?? []).some((entry) => applies(entry, method) && visit(entry.expr));
}
