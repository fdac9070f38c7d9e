/**
 * @module config/defaults — httpd's built-in defaults that modpy applies when the
 * configuration does not say otherwise, and modpy's pool defaults.
 */
import type { DirConfig, PoolSettings } from './types.js';

/** The LogFormats of httpd's default httpd.conf. */
export const DEFAULT_LOG_FORMATS: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
  referer: '%{Referer}i -> %U',
  agent: '%{User-agent}i',
};

/** httpd 2.4's per-directory defaults (core_create_dir_config and friends). */
const builtinDirDefaults: DirConfig = {
  options: { indexes: false, followSymLinks: true, symLinksIfOwnerMatch: false, execCGI: false, includes: false, includesNoExec: false, multiViews: false },
  // allowOverride stays unset: httpd then still reads .htaccess files but allows nothing in
  // them (any directive is an error); only an explicit AllowOverride None skips them.
  directoryIndex: ['index.html'],
  serverSignature: 'Off',
  // httpd ≥ 2.4.54 caps request bodies at 1 GiB by default.
  limitRequestBody: 1073741824,
};
export const BUILTIN_DIR_DEFAULTS: Readonly<DirConfig> = Object.freeze(builtinDirDefaults);

/** httpd's server defaults. */
export const SERVER_DEFAULTS = {
  timeout: 60,
  keepAlive: true,
  keepAliveTimeout: 5,
  maxKeepAliveRequests: 100,
  limitRequestFields: 100,
  limitRequestFieldSize: 8190,
  limitRequestLine: 8190,
  accessFileName: ['.htaccess'],
  logLevel: 'warn',
} as const;

export function defaultPoolSettings(env: Readonly<Record<string, string | undefined>>): PoolSettings {
  return {
    python: env.MODPY_PYTHON || 'python3',
    minProcesses: 2,
    maxProcesses: 2,
    idleTimeoutMs: 300_000,
    maxRequests: 0,
    maxRequestsJitter: 0,
    maxMemoryMiB: 0,
    // 300 s: the Timeout Debian's apache2.conf sets, so long requests behave as under Apache.
    requestTimeoutMs: 300_000,
    graceMs: 5_000,
    startupTimeoutMs: 30_000,
    queueLimit: 1024,
    pipeline: 8,
    // Below ~256 KiB the round trip that lends the socket costs more than the copies it saves.
    directWriteMin: 256 * 1024,
    // Off: a spinning worker trades CPU for latency (docs/directives.md, ModpyPoolDefaults).
    spinUs: 0,
    env: {},
  };
}

export const DEFAULT_GRACEFUL_SHUTDOWN_MS = 30_000;
