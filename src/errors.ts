/**
 * @module errors — the one table of modpy's coded errors. Every error modpy raises on purpose is
 * created here; docs/errors.md has one row per code (a test keeps the two in step).
 * Append new codes to the table; never reuse a retired code.
 */

export class ModpyError extends Error {
  readonly code: string;
  /** HTTP status when the error ends a request; 500 otherwise. */
  readonly status: number;
  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = status;
    this.name = 'ModpyError';
  }
}

/** A configuration error: names file, line and directive, as httpd -t does. */
export class ConfigError extends ModpyError {
  readonly file: string;
  readonly line: number;
  constructor(code: string, message: string, file: string, line: number) {
    super(code, message, 500);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
  }
  /** "AH00526: Syntax error on line 12 of /etc/site.conf:\n<message>" — httpd's shape. */
  format(): string {
    return `AH00526: Syntax error on line ${this.line} of ${this.file}:\n${this.message}`;
  }
}

interface ErrorDef {
  code: string;
  message: string; // with %s placeholders, filled in order
  status: number;
  cause: string; // for docs/errors.md
  fix: string;
}

function def(code: string, message: string, status: number, cause: string, fix: string): ErrorDef {
  return { code, message, status, cause, fix };
}

/** The table. Keep it grouped by area: CONFIG, HTTP, WORKER, IPC, PHASE, SESSION, PSP, FILTER, CLI. */
export const ERRORS = {
  CONFIG_SYNTAX: def('MPY_ERR_CONFIG_SYNTAX', '%s', 500, 'The configuration text cannot be parsed.', 'Fix the line named in the message.'),
  CONFIG_UNKNOWN_DIRECTIVE: def(
    'MPY_ERR_CONFIG_UNKNOWN_DIRECTIVE',
    "Invalid command '%s', perhaps misspelled or defined by a module not included in the server configuration",
    500,
    'A directive modpy does not know, outside an <IfModule> for a module modpy reports absent.',
    'Remove it, or wrap it in <IfModule>.',
  ),
  CONFIG_BAD_ARGUMENT: def('MPY_ERR_CONFIG_BAD_ARGUMENT', '%s', 500, 'A directive got an argument outside its legal values.', 'Use one of the values the message lists.'),
  CONFIG_CONTEXT: def('MPY_ERR_CONFIG_CONTEXT', '%s not allowed here', 500, 'A directive appears in a context where it is not allowed.', 'Move it to a context the directive reference lists.'),
  CONFIG_INCLUDE: def('MPY_ERR_CONFIG_INCLUDE', '%s', 500, 'An Include names a file that cannot be read.', 'Fix the path or use IncludeOptional.'),
  // --- LOG / AUTH / HEADERS (auth+logs) -------------------------------------------------
  LOG_BAD_LEVEL: def(
    'MPY_ERR_LOG_BAD_LEVEL',
    "LogLevel '%s' is invalid: use one of %s, optionally as module:level",
    500,
    'A LogLevel value names a level Apache does not have, or has an empty module name.',
    'Use emerg … debug or trace1 … trace8, e.g. "warn mod_python:debug".',
  ),
  LOG_BAD_TARGET: def(
    'MPY_ERR_LOG_BAD_TARGET',
    "Log target '%s' is not supported: %s",
    500,
    'ErrorLog/CustomLog names a target modpy cannot write to (syslog, a relative path, an empty pipe command).',
    'Use an absolute file path, "stderr", "stdout" or "|command".',
  ),
  LOG_OPEN_FAILED: def('MPY_ERR_LOG_OPEN_FAILED', "Cannot open log '%s': %s", 500, 'A log file cannot be opened for appending (missing directory, permissions).', 'Create the directory or fix its permissions.'),
  LOG_BAD_FORMAT: def(
    'MPY_ERR_LOG_BAD_FORMAT',
    "LogFormat '%s' is invalid: %s",
    500,
    'A LogFormat/CustomLog format has an unknown or incomplete % directive.',
    'Fix the directive named in the message (see mod_log_config).',
  ),
  AUTH_USER_FILE: def('MPY_ERR_AUTH_USER_FILE', 'Could not open password file: %s', 500, 'AuthUserFile is unset or cannot be read.', 'Point AuthUserFile at a readable htpasswd file.'),
  AUTH_GROUP_FILE: def('MPY_ERR_AUTH_GROUP_FILE', 'Could not open group file: %s', 500, 'AuthGroupFile cannot be read.', 'Point AuthGroupFile at a readable group file.'),
  AUTH_BAD_REQUIRE: def(
    'MPY_ERR_AUTH_BAD_REQUIRE',
    '%s',
    500,
    'A Require line uses a provider modpy does not implement (e.g. expr) or has malformed arguments.',
    'Use all, ip, host, env, method, valid-user, user or group, or rewrite the rule.',
  ),
  AUTH_NO_REQUIRE: def(
    'MPY_ERR_AUTH_NO_REQUIRE',
    'AuthType configured with no corresponding authorization directives',
    500,
    'AuthType is set for the URL but no Require line applies there (httpd answers 500 with AH01627 too).',
    'Add a Require line (e.g. "Require valid-user") next to AuthType, or remove AuthType.',
  ),
  HEADERS_BAD_OP: def('MPY_ERR_HEADERS_BAD_OP', 'Header %s %s: %s', 500, 'A Header directive is incomplete (e.g. edit without a regex and replacement).', 'Fix the Header line as the message says.'),
  // --- BENCH (bench) ----------------------------------------------------------------------
  BENCH_BAD_OPTION: def('MPY_ERR_BENCH_BAD_OPTION', '%s', 500, 'npm run bench got an unknown option or a bad value (e.g. an invalid --only regex).', 'Run `npm run bench -- --help` and use one of the listed options.'),
  BENCH_WRK_OUTPUT: def('MPY_ERR_BENCH_WRK_OUTPUT', 'wrk output unreadable (%s): %s', 500, 'wrk ended without the RESULT line of bench/wrk/report.lua (crashed, or the URL refused connections).', 'Run the wrk command from the message by hand and check the server is answering.'),
  BENCH_SETUP: def('MPY_ERR_BENCH_SETUP', '%s', 500, 'A tool the bench needs (apache2, the mod_python/mod_wsgi modules, wrk) is missing and could not be installed.', 'Install the Debian packages named in the message (needs root).'),
  BENCH_RESULTS: def('MPY_ERR_BENCH_RESULTS', 'Cannot use bench results %s: %s', 500, 'bench/report.ts was given a results file that is missing or not what npm run bench writes.', 'Run npm run bench first, or pass the path of its JSON output.'),
  // --- WORKER / IPC (bridge) ------------------------------------------------------------------
  WORKER_QUEUE_FULL: def('MPY_ERR_WORKER_QUEUE_FULL', "interpreter '%s': every worker is busy and %s requests are already waiting", 503, 'More requests arrived than the pool can run plus its queue (ModpyPool queueLimit).', 'Raise maxProcesses or queueLimit, or make the handlers faster; clients should retry after Retry-After.'),
  WORKER_START_FAILED: def('MPY_ERR_WORKER_START_FAILED', "interpreter '%s': no Python worker could be started (%s)", 503, 'The Python executable is missing, the worker crashed at start-up, or it did not become ready within the start-up timeout.', 'Read the worker lines in the error log before this one; check the pool\'s python executable and PythonImport modules.'),
  WORKER_CRASHED: def('MPY_ERR_WORKER_CRASHED', "interpreter '%s': the Python worker %s died while running this request (%s)", 502, 'The worker process exited during the request: a crash in a C extension, os._exit, or a kill (OOM killer, operator).', 'The error log names the signal or exit code and the request; fix the handler or raise the memory limit.'),
  WORKER_TIMEOUT: def('MPY_ERR_WORKER_TIMEOUT', "interpreter '%s': the request passed its deadline of %s ms", 504, 'The handler ran longer than the pool\'s requestTimeout (it got RequestTimeout, and was killed if it kept running past the grace period).', 'Make the handler faster or raise the pool\'s requestTimeout.'),
  WORKER_EXCEPTION: def('MPY_ERR_WORKER_EXCEPTION', "interpreter '%s': the worker could not run this request: %s", 500, 'An error escaped the worker\'s dispatch code (not a handler exception, which dispatch reports itself).', 'Read the traceback logged just before; it is a modpy bug unless the dispatch module was replaced.'),
  WORKER_SHUTTING_DOWN: def('MPY_ERR_WORKER_SHUTTING_DOWN', "interpreter '%s': the server is shutting down", 503, 'A request reached the gateway after shutdown began.', 'None: clients retry on the restarted server.'),
  WORKER_REQUEST_STATE: def('MPY_ERR_WORKER_REQUEST_STATE', '%s', 500, 'The pipeline used a PythonRequest wrongly (a call after close(), or two calls at once).', 'A modpy bug: report it with the message.'),
  // --- HTTP / PHASE / CLI (http core) --------------------------------------------------------
  HTTP_BODY_TOO_LARGE: def('MPY_ERR_HTTP_BODY_TOO_LARGE', 'request body of %s bytes exceeds LimitRequestBody %s', 413, 'The client sent more body than LimitRequestBody allows.', 'Raise LimitRequestBody for that directory, or send less.'),
  HTTP_LENGTH_REQUIRED: def('MPY_ERR_HTTP_LENGTH_REQUIRED', 'chunked request body refused (%s): mod_python handlers need a Content-Length', 411, 'A handler read a request body sent with Transfer-Encoding: chunked (mod_python refuses those with 411).', 'Have the client send Content-Length.'),
  HTTP_BODY_TIMEOUT: def('MPY_ERR_HTTP_BODY_TIMEOUT', 'timed out after %s s waiting for the request body', 408, 'The client stopped sending the body for longer than Timeout.', 'Raise Timeout, or fix the client.'),
  PHASE_BAD_RESULT: def('MPY_ERR_PHASE_BAD_RESULT', '%s', 500, 'A phase ended in a way Apache forbids (e.g. PythonAuthenHandler returned OK without setting req.user).', 'Fix the handler as the message says.'),
  PHASE_REDIRECT_LOOP: def('MPY_ERR_PHASE_REDIRECT_LOOP', 'Request exceeded the limit of %s internal redirects due to probable configuration error.', 500, 'internal_redirect or ErrorDocument chains redirect more than 10 times.', 'Fix the redirect loop in the handler or ErrorDocument.'),
  SESSION_BAD_ID: def('MPY_ERR_SESSION_BAD_ID', "invalid session id '%s' (expected 32 lower-case hex digits)", 400, 'A session call named an id that is not 32 hex digits (forged cookie or a bug in a custom session class).', 'Let mod_python.Session create ids; never pass user input as sid.'),
  SESSION_BAD_ARGUMENT: def('MPY_ERR_SESSION_BAD_ARGUMENT', '%s', 500, 'A session.* server call had a missing or wrongly typed argument.', 'Call the store through mod_python.Session, which sends the right arguments.'),
  SESSION_TOO_LARGE: def('MPY_ERR_SESSION_TOO_LARGE', 'session %s is %s bytes; the limit is %s', 500, 'A session grew beyond the memory store limit per session.', 'Keep large data out of the session, or raise maxSessionBytes.'),
  SESSION_UNKNOWN_STORE: def('MPY_ERR_SESSION_UNKNOWN_STORE', "unknown session store '%s' (use one of: memory, redis)", 500, 'A session call named a store modpy does not have.', 'Use PythonOption mod_python.session.session_type MemorySession or RedisSession.'),
  SESSION_REDIS: def('MPY_ERR_SESSION_REDIS', 'redis session store %s: %s', 503, 'The redis server of RedisSession cannot be reached, or ioredis is not installed.', 'Check mod_python.session.redis_url and that redis-server runs; install ioredis.'),
  LOCK_BAD_INDEX: def('MPY_ERR_LOCK_BAD_INDEX', "invalid global lock index '%s' (expected an integer >= 0)", 500, 'A lock.* server call named no valid lock.', 'Use _apache._global_lock(server, key[, index]) with index >= 0.'),
  LOCK_NOT_HELD: def('MPY_ERR_LOCK_NOT_HELD', 'global lock %s released but not held by this request', 500, 'A handler released a global lock it did not hold (or released it twice).', 'Pair every _global_lock with exactly one _global_unlock.'),
  LOCK_ABANDONED: def('MPY_ERR_LOCK_ABANDONED', 'wait for global lock %s abandoned: the request ended', 500, 'A request ended (finished, timed out or its worker died) while waiting for a global lock.', 'None needed; if frequent, look for requests holding session locks for long.'),
  CLI_USAGE: def('MPY_ERR_CLI_USAGE', '%s', 500, 'The command line has an unknown option or a missing value.', 'Run `modpy -h` and use the listed options.'),
  CLI_NOT_RUNNING: def('MPY_ERR_CLI_NOT_RUNNING', '%s', 500, '-k stop/restart/graceful found no running server (no PidFile, or its pid is gone).', 'Start the server first, or check PidFile.'),
  CLI_START_FAILED: def('MPY_ERR_CLI_START_FAILED', 'modpy did not start: %s', 500, 'The detached server exited before listening (see the error log) or did not listen in time.', 'Read the error log named in the message.'),
  CLI_ALREADY_RUNNING: def('MPY_ERR_CLI_ALREADY_RUNNING', 'modpy (pid %s) already running', 500, '-k start found a live process in PidFile.', 'Stop it first, or use -k restart.'),
} as const satisfies Record<string, ErrorDef>;

export type ErrorName = keyof typeof ERRORS;

function fill(template: string, args: readonly (string | number)[]): string {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++] ?? ''));
}

/** Builds the coded error `name` with its message filled from `args`. */
export function createError(name: ErrorName, ...args: (string | number)[]): ModpyError {
  const d = ERRORS[name];
  return new ModpyError(d.code, fill(d.message, args), d.status);
}

/** Builds a ConfigError (file and line) for one of the CONFIG_* codes. */
export function configError(name: ErrorName, file: string, line: number, ...args: (string | number)[]): ConfigError {
  const d = ERRORS[name];
  return new ConfigError(d.code, fill(d.message, args), file, line);
}
