/**
 * @module compat/lib/case — the shape of a differential case: the config fragment and files it
 * needs, the requests it sends, and whether modpy must answer like Apache + mod_python or
 * deliberately differently (an upstream bug we fix).
 */

/** Feature areas, one row each in docs/compat.md. */
export type Area =
  | 'phases'
  | 'request'
  | 'methods'
  | 'tables'
  | 'config'
  | 'interpreters'
  | 'imports'
  | 'filters'
  | 'connection'
  | 'util'
  | 'publisher'
  | 'psp'
  | 'session'
  | 'cookie'
  | 'wsgi'
  | 'static'
  | 'auth'
  | 'logging';

/** Which listener a request goes to: the main one, the name-based vhost one, the connection-handler one. */
export type Listener = 'main' | 'vhost' | 'conn';

export interface CompatRequest {
  method?: string;
  /** Path relative to the server; `@/` expands to the case's own URL prefix (`/<slug>/`). Unused with `raw`. */
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  listener?: Listener;
  /** Raw bytes for a TCP exchange instead of HTTP (connection handlers, malformed requests). */
  raw?: string;
  /** Status both servers must answer (checked against Apache alone with MODPY_COMPAT_APACHE_ONLY=1). */
  status?: number;
  /** Send back (as a Cookie header) every cookie this server set earlier in the case. */
  useCookies?: boolean;
  /** Send If-None-Match with the ETag this server returned for the previous request of the case. */
  useEtag?: boolean;
  /** Files of the case directory rewritten (with a later mtime) before this request is sent. */
  rewrite?: Record<string, string>;
  /** Pause before this request (e.g. past mod_python's once-a-second mtime check). */
  delayMs?: number;
  /** Text the (normalised) body must contain on both servers. */
  bodyHas?: string | RegExp;
}

/** What one response must look like (used for deliberate differences). */
export interface Expectation {
  status?: number;
  /** Header value (string: exact; RegExp: match; null: must be absent). */
  headers?: Record<string, string | RegExp | null>;
  body?: string | RegExp;
}

/** A deliberate difference: Apache + mod_python 3.5 has a bug; modpy does the right thing. */
export interface Differs {
  /** Why, citing the spec section. */
  differs: string;
  /** What Apache does (per request index); asserted so the doc's claim stays true. */
  apache?: Record<number, Expectation>;
  /** What modpy must do instead (per request index); other requests must still match Apache. */
  modpy: Record<number, Expectation>;
}

export interface Comparison {
  /** Headers compared besides the default set (lower case). */
  headers?: string[];
  /** Headers from the default set this case must not compare (lower case). */
  ignoreHeaders?: string[];
  /** 'exact' (after normalisation, the default), 'ignore', or a function mapping a body to what is compared. */
  body?: 'exact' | 'ignore' | ((body: string) => string);
  /** Compare framing (Content-Length vs chunked); default true. */
  framing?: boolean;
  /** Compare error-log lines containing this token (level + message). */
  log?: string;
}

export interface CompatCase {
  /** Unique, kebab-case; also the case's directory and URL prefix. */
  name: string;
  area: Area;
  /** Config fragment for the server context. Placeholders: `${CASE}` (its directory, no trailing slash),
   *  `@/` (its URL prefix with trailing slash), `${SITE}`, `${MP_VAR}`, `${MP_PORT*}` (Apache Defines). */
  conf?: string;
  /** Files written under the case's directory (path → content). */
  files?: Record<string, string>;
  requests: CompatRequest[];
  compare?: Comparison;
  expect?: 'same' | Differs;
  /** Skip against modpy (feature not built yet), with the reason. */
  skip?: string;
}

/** A group shares one Apache and one modpy start. */
export interface CaseGroup {
  name: string;
  /** Server-level config for the group (vhosts, PythonImport, extra LoadModule from `${MODULES}`…). */
  conf?: string;
  /** Files under the site root shared by the group (path → content). */
  files?: Record<string, string>;
  cases: CompatCase[];
  /** Apache's MaxRequestWorkers for this group (default 1). mod_python sizes its session mutexes
   *  from it and divides by (count - 1), so session groups need at least 2. */
  apacheMaxWorkers?: number;
}
