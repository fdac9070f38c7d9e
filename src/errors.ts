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
  HEADERS_BAD_OP: def('MPY_ERR_HEADERS_BAD_OP', 'Header %s %s: %s', 500, 'A Header directive is incomplete (e.g. edit without a regex and replacement).', 'Fix the Header line as the message says.'),
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
