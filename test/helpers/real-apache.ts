/**
 * @module test/helpers/real-apache — runs the real Apache 2.4 for the differential tests of logs,
 * auth and headers: a throw-away ServerRoot, a free 127.0.0.1 port, and a watchdog shell around
 * httpd that stops it when this test process disappears (even when killed by the test runner,
 * which no exit hook survives).
 *
 *   const apache = useRealApache('authz', MODULES, (dir, port) => [`DocumentRoot ${dir}`, …]);
 *   it('…', async () => { await fetch(`http://127.0.0.1:${apache.port}/…`); });
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { freePort } from './live-server.js';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

/** True when httpd and the named modules (e.g. "authz_core") are installed. */
export function apacheAvailable(modules: readonly string[]): boolean {
  return fs.existsSync(APACHE) && modules.every((m) => fs.existsSync(`${MODULES}/mod_${m}.so`));
}

/** LoadModule lines, plus User/Group when we run as root (httpd refuses to serve as root). */
function baseConfig(dir: string, port: number, modules: readonly string[]): string {
  return [
    `ServerRoot ${dir}`,
    `Listen 127.0.0.1:${port}`,
    ...['mpm_event', ...modules].map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`),
    process.getuid?.() === 0 ? 'User www-data\nGroup www-data' : '',
    'ServerName localhost',
    `PidFile ${dir}/httpd.pid`,
    `ErrorLog ${dir}/error_log`,
    '<Directory />\n  AllowOverride None\n</Directory>',
  ].join('\n');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

interface RunningApache {
  /** Stops httpd (SIGTERM through the watchdog) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts `httpd -f <dir>/httpd.conf -DFOREGROUND` with `conf` and waits until `port` accepts.
 * The dir must be readable by www-data when running as root (chmod 0755). If this process dies
 * first, the watchdog stops httpd and deletes `dir`.
 */
async function startApache(dir: string, port: number, conf: string): Promise<RunningApache> {
  const confFile = `${dir}/httpd.conf`;
  fs.writeFileSync(confFile, `${conf}\n`);
  // The watchdog: httpd in the background; stop it when we (the parent) or it go away, or on TERM.
  const script = [
    `"${APACHE}" -f "${confFile}" -DFOREGROUND & a=$!`,
    'trap \'kill -TERM $a 2>/dev/null; wait $a; exit 0\' TERM',
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $a 2>/dev/null; do sleep 0.2; done`,
    'kill -TERM $a 2>/dev/null; wait $a',
    // Orphaned (the test process was killed): nobody else will remove the ServerRoot.
    `kill -0 ${process.pid} 2>/dev/null || rm -rf "${dir}"`,
  ].join('\n');
  const watchdog: ChildProcess = spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  watchdog.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (watchdog.exitCode === null && watchdog.signalCode === null && watchdog.pid !== undefined) process.kill(watchdog.pid, 'SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (watchdog.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`apache did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { stop };
}

/** Where the running httpd lives; both fields are set once the suite's before() hooks ran. */
export interface RealApache {
  /** Its ServerRoot (0755, removed afterwards): the place for the test's files and its logs. */
  dir: string;
  port: number;
}

/**
 * Runs httpd for the enclosing describe(): before its tests, a fresh ServerRoot and port, then
 * httpd with the base configuration for `modules` plus the lines `configure` returns (it may
 * write files into the directory first); after them, httpd stopped and the directory removed.
 * Later before() hooks of the suite run once httpd accepts connections.
 */
export function useRealApache(
  name: string,
  modules: readonly string[],
  configure: (dir: string, port: number) => string[],
): RealApache {
  const site: RealApache = { dir: '', port: 0 };
  let apache: RunningApache | null = null;
  before(async () => {
    site.dir = fs.mkdtempSync(path.join(os.tmpdir(), `modpy-apache-${name}-`));
    fs.chmodSync(site.dir, 0o755); // Apache's children run as www-data when we are root
    site.port = await freePort();
    const conf = [baseConfig(site.dir, site.port, modules), ...configure(site.dir, site.port)].join('\n');
    apache = await startApache(site.dir, site.port, conf);
  });
  after(async () => {
    await apache?.stop();
    if (site.dir) fs.rmSync(site.dir, { recursive: true, force: true });
  });
  return site;
}
