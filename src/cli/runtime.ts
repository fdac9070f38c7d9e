/**
 * @module cli/runtime — a running modpy server in the foreground: loads the configuration,
 * starts the service registry, the Python gateway and the HTTP front end, writes the PidFile,
 * and handles the signals:
 *   SIGTERM / SIGINT  drain: stop accepting, finish requests in flight (bounded by
 *                     GracefulShutdownTimeout / ModpyGracefulShutdownTimeout, 0 = no limit),
 *                     stop the workers, remove the PidFile, exit 0
 *   SIGHUP            reload: a new configuration for new requests, workers rolled and started
 *                     from the new configuration (PythonImport, config tree, defines); a broken
 *                     configuration keeps the old one serving (and says why in the error log)
 *   SIGUSR2           reopen the logs (rotation)
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from '../config/types.js';
import { HttpFrontEnd } from '../http/server.js';
import { FULL_BANNER, MODPY_VERSION } from '../http/server-banner.js';
import { APLOG } from '../logs/log-level.js';
import { loadConfig, loadConfigFromText } from '../pipeline/config-api.js';
import { serverInfoFor } from '../pipeline/server-info.js';
import { Site } from '../pipeline/site.js';
import { registerLockServices, registerSessionServices } from '../services/index.js';
import { ServiceRegistry } from '../services/registry.js';
import { createGateway } from '../workers/gateway.js';
import type { PythonGateway, WorkerInit } from '../workers/types.js';
import { configTree } from './config-tree.js';
import { readPid } from './control.js';
import { drainLimitMs } from './grace.js';
import { describeStartupError } from './startup-errors.js';
import { resolvePython } from './python-path.js';
import { breakGcLoops, LOOP_MAJORS, LOOP_WINDOW_MS, PAUSE_MS } from '../gc-loop-breaker.js';
import { enableReadBufferGc } from '../read-buffer-gc.js';

export interface RuntimeOptions {
  /** The main configuration file, or null when `configText` is given. */
  configFile: string | null;
  configText?: string;
  serverRoot: string | null;
  defines: string[];
  /** `modpy serve` does not write a PidFile into the served directory. */
  writePidFile: boolean;
  /** For the "Command line:" log line. */
  commandLine: string;
}

/** The directory holding the mod_python package the workers import (the repository's python/). */
const PACKAGE_DIR = fileURLToPath(new URL('../../python', import.meta.url));

function workerInit(cfg: LoadedConfig): WorkerInit {
  const imports = [cfg.main, ...cfg.vhosts].flatMap((s) => s.pythonImports.map((i) => ({ module: i.module, interpreter: i.interpreter })));
  return {
    server: serverInfoFor(cfg, cfg.main),
    config_tree: configTree(cfg.tree),
    defines: [...cfg.defines],
    server_root: cfg.serverRoot,
    mpm: {},
    python_optimize: cfg.pythonOptimize,
    imports,
  };
}

/** Runs the server until it is stopped; resolves with the exit code. Start-up failures are
 *  printed on stderr (httpd's shapes) and give 1, with nothing left running. */
export async function runServer(opts: RuntimeOptions): Promise<number> {
  const load = (): Promise<LoadedConfig> =>
    opts.configText !== undefined
      ? loadConfigFromText(opts.configText, { virtualFile: opts.configFile ?? 'modpy-serve.conf', serverRoot: opts.serverRoot ?? process.cwd(), defines: opts.defines })
      : loadConfig(opts.configFile as string, { defines: opts.defines, serverRoot: opts.serverRoot ?? undefined });

  const services = new ServiceRegistry();
  const sessions = registerSessionServices(services);
  registerLockServices(services);
  let site: Site | null = null;
  let gateway: PythonGateway | null = null;
  let front: HttpFrontEnd | null = null;
  const retired: Site[] = [];
  // Worker log lines go to whatever Site is current when they arrive, so after a reload they
  // reach the new configuration's (possibly reopened) error log, not the first one's.
  const logTo: { site: Site | null } = { site: null };
  enableReadBufferGc();
  breakGcLoops(() =>
    logTo.site?.serverLog(APLOG.INFO, `V8 ran ${LOOP_MAJORS} full collections within ${LOOP_WINDOW_MS} ms: incremental marking paused for ${PAUSE_MS / 1000} s (src/gc-loop-breaker.ts)`, { module: 'modpy' }),
  );
  try {
    const cfg = await load();
    const init = workerInit(cfg);
    gateway = createGateway({
      packageDir: PACKAGE_DIR,
      log: (level, message, meta) => logTo.site?.serverLog(level, message, { module: meta?.module, pid: meta?.pid }),
      services,
      init,
    });
    site = new Site(cfg, gateway, services);
    logTo.site = site;
    site.message('SERVER_STARTING', { version: MODPY_VERSION, node: process.versions.node, pid: process.pid, config: opts.configFile ?? '(generated)' });
    const python = cfg.poolDefaults.python;
    site.serverLog(APLOG.NOTICE, `Python workers run ${resolvePython(python)} (ModpyPoolDefaults python=${python})`, { module: 'modpy' });
    if (init.imports.length) {
      const s = site;
      await gateway.prestart(init.imports, (interp) => s.poolSettings(interp)).catch((err: unknown) =>
        s.serverLog(APLOG.ERR, `PythonImport: ${describeStartupError(err)}`, { module: 'python' }),
      );
    }
    front = new HttpFrontEnd(site);
    try {
      await front.listen();
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
      site.message('LISTEN_FAILED', { address: `${e.address ?? '*'}:${e.port ?? ''}`, reason: e.code ?? e.message });
      throw err;
    }
    if (opts.writePidFile) await writePidFile(cfg.pidFile);
  } catch (err) {
    process.stderr.write(`${describeStartupError(err)}\n`);
    if (site) site.serverLog(APLOG.ERR, describeStartupError(err));
    if (gateway) await gateway.shutdown(1000).catch(() => undefined);
    await sessions.close().catch(() => undefined);
    if (site) await site.close();
    return 1;
  }

  const live = { site, front, gateway };
  live.site.message('SERVER_READY', { version: MODPY_VERSION, addresses: live.front.addresses().join(', ') });
  live.site.serverLog(APLOG.NOTICE, `${FULL_BANNER} configured -- resuming normal operations`, { module: 'mpm_modpy', aplogno: 'AH00489' });
  live.site.serverLog(APLOG.NOTICE, `Command line: '${opts.commandLine}'`, { aplogno: 'AH00094' });

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    let reloading: Promise<void> = Promise.resolve();

    const reload = async (): Promise<void> => {
      const old = live.site;
      old.message('RELOAD_REQUESTED', { signal: 'SIGHUP' });
      let next: Site;
      try {
        next = new Site(await load(), live.gateway, services);
      } catch (err) {
        old.message('RELOAD_FAILED', { error: describeStartupError(err) });
        return;
      }
      try {
        await live.front.swap(next);
      } catch (err) {
        old.message('RELOAD_FAILED', { error: describeStartupError(err) });
        await live.front.swap(old).catch(() => undefined);
        await next.close();
        return;
      }
      live.site = next;
      logTo.site = next;
      retired.push(old);
      // Requests still running on the old Site keep writing its logs for a while.
      setTimeout(() => {
        const i = retired.indexOf(old);
        if (i >= 0) retired.splice(i, 1);
        void old.close();
      }, drainLimitMs(next.cfg.gracefulShutdownTimeoutMs)).unref();
      next.message('RELOAD_DONE', { config: opts.configFile ?? '(generated)' });
      // The rolled workers start from the new configuration: its PythonImport list, config
      // tree, defines, main server and PythonOptimize.
      const init = workerInit(next.cfg);
      await live.gateway.reload(init).catch((err: unknown) => next.serverLog(APLOG.ERR, `rolling the Python workers failed: ${describeStartupError(err)}`));
      // A PythonImport naming an interpreter that has no pool yet starts one now, as at start-up.
      if (init.imports.length) {
        await live.gateway
          .prestart(init.imports, (interp) => next.poolSettings(interp))
          .catch((err: unknown) => next.serverLog(APLOG.ERR, `PythonImport: ${describeStartupError(err)}`, { module: 'python' }));
      }
    };

    const stop = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      await reloading;
      const s = live.site;
      s.message('SERVER_STOPPING', { signal });
      const grace = drainLimitMs(s.cfg.gracefulShutdownTimeoutMs);
      const started = Date.now();
      const clean = await live.front.drain(grace);
      if (!clean) s.message('SHUTDOWN_TIMEOUT', { ms: grace, requests: live.front.inflight });
      await live.gateway.shutdown(Math.max(1000, grace - (Date.now() - started))).catch((err: unknown) => s.serverLog(APLOG.ERR, `stopping the Python workers: ${describeStartupError(err)}`));
      await sessions.close().catch(() => undefined);
      if (opts.writePidFile) await removeOwnPidFile(s.cfg.pidFile);
      for (const r of retired.splice(0)) await r.close();
      s.message('SERVER_STOPPED', { ms: Date.now() - started });
      await s.close();
      for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2'] as const) process.removeAllListeners(sig);
      resolveExit(0);
      // Whatever handle a library left open must not keep a stopped server alive.
      setTimeout(() => process.exit(0), 2000).unref();
    };

    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGHUP', () => {
      if (!stopping) reloading = reloading.then(reload);
    });
    process.on('SIGUSR2', () => {
      live.site.reopenLogs();
      live.site.message('LOGS_REOPENED', { signal: 'SIGUSR2' });
    });
  });
}

/** Removes the PidFile only while it still names this process: a server started on the same
 *  configuration while this one drained has written its own pid there, and keeps it. */
/** Written whole or not at all (a temporary file renamed over it): a reader — `-k stop`, a
 *  monitor, a test right after the port opened — sees no file or this pid, never an empty one. */
async function writePidFile(file: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${process.pid}\n`);
  await rename(temporary, file);
}

async function removeOwnPidFile(file: string): Promise<void> {
  if (readPid(file) === process.pid) await unlink(file).catch(() => undefined);
}
