/**
 * @module bench/launch — starts one server instance alone on 127.0.0.1 (its own free port,
 * its own scratch dir), waits until it answers, and says clearly why when it does not.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stopTree } from './process-tree.js';
import type { InstanceSpec } from './servers.js';

export const BENCH_DIR = new URL('.', import.meta.url).pathname.replace(/\/$/, '');
export const REPO_DIR = join(BENCH_DIR, '..');
const CONF_DIR = join(BENCH_DIR, 'conf');
export const HANDLERS_DIR = join(BENCH_DIR, 'handlers');
const APACHE = '/usr/sbin/apache2';

export interface RunningServer {
  id: string;
  pid: number;
  baseUrl: string;
  dir: string;
  stop(): Promise<number[]>;
}

/** Fills @RUN@, @H@, @PORT@ in a config template. */
export function renderTemplate(text: string, vars: { run: string; handlers: string; port: number }): string {
  return text.replaceAll('@RUN@', vars.run).replaceAll('@H@', vars.handlers).replaceAll('@PORT@', String(vars.port));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function tail(file: string, bytes = 1500): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.slice(-bytes).trim();
}

function configFor(spec: InstanceSpec, vars: { run: string; handlers: string; port: number }): string {
  const parts: string[] = ['common.conf'];
  const l = spec.launch;
  if (l.kind === 'apache') parts.push('apache.conf', `mpm-${l.mpm}.conf`, `site-${l.site}.conf`);
  if (l.kind === 'modpy') parts.push('site-modpython.conf');
  let text = parts.map((p) => readFileSync(join(CONF_DIR, p), 'utf8')).join('\n');
  if (l.kind === 'modpy' && l.workers !== undefined) {
    text += `\n# scaling run: a fixed pool size\nModpyPoolDefaults processes=${l.workers}\n`;
  }
  return renderTemplate(text, vars);
}

/** Apache children run as www-data: they need to read the scratch dir and write sessions. */
function prepareDir(dir: string, forApache: boolean): void {
  for (const sub of ['', 'run', 'sessions']) {
    mkdirSync(join(dir, sub), { recursive: true });
    chmodSync(join(dir, sub), 0o755);
  }
  if (forApache && process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'www-data'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'www-data'], { encoding: 'utf8' }).trim());
    chownSync(join(dir, 'sessions'), uid, gid);
  }
}

function command(spec: InstanceSpec, conf: string, port: number): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  switch (spec.launch.kind) {
    case 'apache':
      return { cmd: APACHE, args: ['-f', conf, '-DFOREGROUND'], env: process.env };
    case 'modpy':
      return { cmd: process.execPath, args: [join(REPO_DIR, 'bin/modpy.js'), '-f', conf, '-DFOREGROUND'], env: process.env };
    case 'node':
      return { cmd: process.execPath, args: [join(HANDLERS_DIR, 'node_hello.js')], env: { ...process.env, PORT: String(port) } };
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `spec` in `dir` and resolves once `probePath` gets any HTTP answer. Rejects with
 * "did not start: <reason>" (exit status, the end of its stderr and error log) otherwise.
 */
export async function launch(spec: InstanceSpec, dir: string, probePath: string, startTimeoutMs = 30_000): Promise<RunningServer> {
  prepareDir(dir, spec.launch.kind === 'apache');
  const port = await freePort();
  const conf = join(dir, 'server.conf');
  writeFileSync(conf, configFor(spec, { run: dir, handlers: HANDLERS_DIR, port }));
  const errorLog = join(dir, 'error.log');
  const outLog = join(dir, 'stdout-stderr.log');
  const why = (what: string): Error =>
    new Error(`did not start: ${what}${tail(outLog) ? `\n--- output:\n${tail(outLog)}` : ''}${tail(errorLog) ? `\n--- error log:\n${tail(errorLog)}` : ''}`);

  if (spec.launch.kind === 'apache') {
    try {
      execFileSync(APACHE, ['-f', conf, '-t'], { stdio: 'pipe' });
    } catch (err) {
      const e = err as { stderr?: Buffer };
      throw new Error(`did not start: apache2 -t failed: ${e.stderr?.toString().trim() ?? String(err)}`);
    }
  }
  const { cmd, args, env } = command(spec, conf, port);
  const out = openSync(outLog, 'a');
  // The server writes to a file, never to a pipe we would have to drain while wrk runs.
  // detached = its own process group: Apache stops its children with killpg(getpgrp()),
  // which would otherwise SIGTERM the bench itself.
  const child: ChildProcess = spawn(cmd, args, { cwd: dir, env, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `killed by ${signal}` : `exited with status ${code}`));
  child.once('error', (err) => (exited = err.message));
  const pid = child.pid;
  const baseUrl = `http://127.0.0.1:${port}`;
  const running: RunningServer = { id: spec.id, pid: pid ?? -1, baseUrl, dir, stop: () => (pid ? stopTree(pid) : Promise.resolve([])) };

  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw why(exited);
    if (await answers(baseUrl + probePath)) return running;
    await new Promise((r) => setTimeout(r, 100));
  }
  await running.stop();
  throw why(`no HTTP answer on ${baseUrl}${probePath} within ${startTimeoutMs / 1000} s`);
}
