/**
 * @module pipeline/site — everything a request needs from one loaded configuration, computed
 * once at load (not per request): per-server contexts (ServerInfo for Python, logs, banner,
 * keep-alive), pool settings per interpreter, the MIME map. A SIGHUP reload builds a new Site
 * and swaps it in; requests in flight keep the Site they started with.
 */
import type { LoadedConfig, PoolSettings, ServerConf } from '../config/types.js';
import type { PythonGateway, ServerInfo } from '../workers/types.js';
import type { ServiceRegistry } from '../services/registry.js';
import { ErrorLog } from '../logs/error-log.js';
import { AccessLog } from '../logs/access-log.js';
import { APLOG, parseLogLevel } from '../logs/log-level.js';
import { serverBanner } from '../http/server-banner.js';
import { namedPort, serverInfoFor } from './server-info.js';
import { logMessage, messageLevel, type MessageName, type MessageParams } from '../logs/messages.js';

/** One server (main or vhost) as requests see it. Its ServerName, ServerAdmin and KeepAlive
 *  are read from `info` (server_hostname, server_admin, keep_alive), the record Python gets. */
export interface ServerContext {
  readonly conf: ServerConf;
  readonly info: ServerInfo;
  readonly errorLog: ErrorLog;
  readonly accessLogs: readonly AccessLog[];
  /** Port from ServerName host:port, else null (the connection's local port is used). */
  readonly namedPort: number | null;
  readonly documentRoot: string;
  /** The server's LogLevel value; a directory's LogLevel is merged over it (dir-log-level.ts). */
  readonly logLevel: string;
}

export class Site {
  readonly cfg: LoadedConfig;
  readonly gateway: PythonGateway;
  readonly services: ServiceRegistry;
  readonly banner: string;
  readonly main: ServerContext;
  /** The main error log for server-scope NOTICE lines: Apache writes those whatever LogLevel
   *  says (start-up, shutdown, which Python runs), so they get a log opened at notice. */
  readonly noticeLog: ErrorLog;
  readonly #contexts = new Map<ServerConf, ServerContext>();
  readonly #errorLogs = new Map<string, ErrorLog>();
  readonly #accessLogs = new Map<string, AccessLog>();
  readonly #pools = new Map<string, PoolSettings>();

  /** Opens every log the configuration names; throws (coded errors) when one cannot open. */
  constructor(cfg: LoadedConfig, gateway: PythonGateway, services: ServiceRegistry) {
    this.cfg = cfg;
    this.gateway = gateway;
    this.services = services;
    this.banner = serverBanner(cfg.serverTokens);
    try {
      this.main = this.#build(cfg.main);
      for (const v of cfg.vhosts) this.#build(v);
      this.noticeLog = this.main.errorLog.enabled(APLOG.NOTICE) ? this.main.errorLog : this.#noticeLogFor(cfg.main);
    } catch (err) {
      void this.close();
      throw err;
    }
    this.#logConfigWarnings();
  }

  /** What the configuration reader noticed (httpd's AH00558, AH00112, AH01506 …): httpd prints
   *  these while it reads its configuration, at every start and reload; they go to the main
   *  error log here, "AHnnnnn:" split off as the line's message number. */
  #logConfigWarnings(): void {
    for (const w of this.cfg.warnings) {
      const m = /^(AH\d{5}|MPY\d{4}): (.*)$/s.exec(w);
      this.main.errorLog.log(APLOG.WARNING, m ? (m[2] as string) : w, m ? { aplogno: m[1] } : {});
    }
  }

  #errorLogFor(conf: ServerConf): ErrorLog {
    const target = conf.errorLog ?? this.cfg.main.errorLog ?? 'stderr';
    const level = conf.logLevel ?? this.cfg.main.logLevel ?? 'warn';
    const key = `${target}\0${level}`;
    let log = this.#errorLogs.get(key);
    if (!log) {
      parseLogLevel(level); // throws a coded error for a bad level before a file is opened
      log = ErrorLog.open(target, level);
      this.#errorLogs.set(key, log);
    }
    return log;
  }

  #noticeLogFor(conf: ServerConf): ErrorLog {
    const target = conf.errorLog ?? 'stderr';
    const log = ErrorLog.open(target, 'notice');
    this.#errorLogs.set(`${target}\0notice-forced`, log);
    return log;
  }

  /** A message of the MPYnnnn catalogue (src/logs/messages.ts) in the main error log. */
  message<K extends MessageName>(name: K, params: MessageParams<K>): void {
    logMessage(messageLevel(name) === APLOG.NOTICE ? this.noticeLog : this.main.errorLog, name, params);
  }

  /** Server-scope message: NOTICE always reaches the main error log (Apache's rule). */
  serverLog(level: number, message: string, meta: { module?: string; pid?: number; aplogno?: string } = {}): void {
    const log = level === APLOG.NOTICE ? this.noticeLog : this.main.errorLog;
    log.log(level, message, meta);
  }

  #build(conf: ServerConf): ServerContext {
    const m = this.cfg.main;
    const accessLogs = conf.customLogs.map((spec) => {
      const key = `${spec.target}\0${spec.format}\0${spec.condition?.env ?? ''}\0${spec.condition?.negated ?? ''}`;
      let log = this.#accessLogs.get(key);
      if (!log) {
        log = AccessLog.open(spec);
        this.#accessLogs.set(key, log);
      }
      return log;
    });
    const errorLog = this.#errorLogFor(conf);
    const info = serverInfoFor(this.cfg, conf);
    const ctx: ServerContext = {
      conf,
      info,
      errorLog,
      accessLogs,
      namedPort: namedPort(conf.serverName ?? m.serverName),
      documentRoot: conf.documentRoot ?? m.documentRoot ?? '/var/www/html',
      logLevel: conf.logLevel ?? m.logLevel ?? 'warn',
    };
    this.#contexts.set(conf, ctx);
    return ctx;
  }

  context(conf: ServerConf): ServerContext {
    return this.#contexts.get(conf) ?? this.#build(conf);
  }

  /** ModpyPoolDefaults overlaid with the ModpyPool block for `interpreter` (cached). */
  poolSettings(interpreter: string): PoolSettings {
    let s = this.#pools.get(interpreter);
    if (!s) {
      const over = this.cfg.pools[interpreter] ?? {};
      // PythonOptimize On is mod_python's Py_OptimizeFlag = 2, i.e. `python -OO`: the
      // environment form reaches the worker's interpreter before any code is compiled.
      const optimize: Record<string, string> = this.cfg.pythonOptimize ? { PYTHONOPTIMIZE: '2' } : {};
      s = { ...this.cfg.poolDefaults, ...over, env: { ...optimize, ...this.cfg.poolDefaults.env, ...(over.env ?? {}) } };
      this.#pools.set(interpreter, s);
    }
    return s;
  }

  /** Every error log, deduplicated (for startup messages and SIGUSR2). */
  errorLogs(): ErrorLog[] {
    return [...this.#errorLogs.values()];
  }

  reopenLogs(): void {
    for (const l of this.#errorLogs.values()) l.reopen();
    for (const l of this.#accessLogs.values()) l.reopen();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#accessLogs.values()].map((l) => l.close()));
    await Promise.allSettled([...this.#errorLogs.values()].map((l) => l.close()));
  }
}
