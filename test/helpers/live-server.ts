/**
 * @module test/helpers/live-server — starts the real modpy (a child process running
 * `src/cli/main.ts` through tsx) with a configuration text in a fresh temporary ServerRoot, on
 * ephemeral 127.0.0.1 ports, waits until it answers, captures its logs, and stops it by pid.
 *
 * API (used by every integration test):
 *
 *   const srv = await startLiveServer({
 *     config: `DocumentRoot {{ROOT}}/htdocs\n<Location /py>\n SetHandler mod_python\n ...`,
 *     files: { 'htdocs/index.html': 'hi', 'handlers/h.py': 'from mod_python import apache\n...' },
 *     ports: 2,                 // optional, default 1: {{PORT}} = {{PORT0}}, {{PORT1}}, …
 *     args: ['-DTESTING'],      // optional extra command-line arguments
 *     env: { FOO: 'bar' },      // optional extra environment for modpy (reaches Python workers)
 *   });
 *   const res = await fetch(srv.url('/index.html'));      // http://127.0.0.1:PORT/index.html
 *   srv.errorLog();   srv.accessLog();   srv.output();      // captured text, read on demand
 *   await srv.waitForLog(/AH00094/);                         // polls the error log (also waitForAccessLog)
 *   await srv.waitForFile('py/started');                     // polls until the file exists under root
 *   await srv.stop();                                        // SIGTERM, waits for exit; returns exit code
 *
 * Placeholders in `config` and in `files` contents: {{ROOT}} (the temp ServerRoot, absolute),
 * {{PORT}}/{{PORT0}}, {{PORT1}}, … (free ports picked by binding port 0), {{REPO}} (the
 * repository root). Unless the config has its own `Listen`, one `Listen 127.0.0.1:{{PORTn}}`
 * line per port is prepended. Defaults are prepended too and can be overridden by the config
 * (later single-valued directives win): ServerName 127.0.0.1, PidFile logs/modpy.pid,
 * ErrorLog logs/error_log, LogLevel info, DocumentRoot {{ROOT}}/htdocs, a `common` LogFormat and
 * `CustomLog logs/access_log common`. stdout/stderr of the process go to logs/output.
 * `keepRoot: true` leaves the temp dir in place (for debugging); otherwise stop() removes it.
 * Start-up waits until modpy itself listens on every port (checked in /proc, not by a connect
 * alone) and retries with fresh ports, up to 3 times, when modpy reports an address in use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { readFileSync, openSync, closeSync, existsSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_ENTRY = join(REPO_ROOT, 'src', 'cli', 'main.ts');

export interface LiveServerOptions {
  /** httpd.conf text (placeholders see module header). */
  config: string;
  /** Files to create under the ServerRoot: relative path → contents. */
  files?: Record<string, string | Buffer>;
  /** How many free ports to allocate (default 1). */
  ports?: number;
  /** Extra command-line arguments (e.g. '-DNAME'). */
  args?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Milliseconds to wait for the server to listen (default 15000). */
  startTimeoutMs?: number;
  /** Keep the temp ServerRoot after stop(). */
  keepRoot?: boolean;
  /** Picks each port (default freePort); the helper's own test uses it to force a collision. */
  pickPort?: () => Promise<number>;
}

export interface LiveServer {
  readonly root: string;
  readonly port: number;
  readonly ports: number[];
  readonly pid: number;
  readonly configFile: string;
  readonly process: ChildProcess;
  /** http://127.0.0.1:<port><path>; `portIndex` picks another allocated port. */
  url(path: string, portIndex?: number): string;
  errorLog(): string;
  accessLog(): string;
  /** stdout + stderr of the modpy process. */
  output(): string;
  /** Resolves with the error log once `re` matches it; rejects after timeoutMs. Logs are
   *  written asynchronously, so a response can arrive before its log line: wait, don't read. */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  /** The same for the access log. */
  waitForAccessLog(re: RegExp, timeoutMs?: number): Promise<string>;
  /** The first line of the log `relPath` (under the ServerRoot, e.g. a CustomLog of the test's
   *  own format) that starts with `start`, once it is written; rejects after timeoutMs. */
  waitForLogLine(relPath: string, start: string, timeoutMs?: number): Promise<string>;
  /** Resolves once `relPath` (under the ServerRoot) exists; rejects after timeoutMs. A handler
   *  can create a file to say "I am running now" without waiting for its phase to end. */
  waitForFile(relPath: string, timeoutMs?: number): Promise<void>;
  /** Sends a signal to the server process. */
  signal(sig: NodeJS.Signals): void;
  /** Resolves with the exit code once the process exited (null when killed by a signal). */
  exited(): Promise<number | null>;
  /** SIGTERM (or `sig`), wait for exit (SIGKILL after 10 s), remove the temp root. */
  stop(sig?: NodeJS.Signals): Promise<number | null>;
}

/** Picks a free TCP port on 127.0.0.1 by binding port 0. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function fill(text: string, root: string, ports: number[]): string {
  return text
    .replace(/\{\{ROOT\}\}/g, root)
    .replace(/\{\{REPO\}\}/g, REPO_ROOT)
    .replace(/\{\{PORT(\d*)\}\}/g, (_m, n: string) => String(ports[n === '' ? 0 : Number(n)] ?? 'NO_SUCH_PORT'));
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Resolves true once something accepts TCP connections on 127.0.0.1:port. */
function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      done(true);
    });
    sock.once('error', () => done(false));
  });
}

/** Inodes of the sockets listening on TCP `port` (any address), from /proc/net/tcp{,6}. */
function listeningInodes(port: number): Set<string> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readOr(table).split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/); // sl local_address rem_address st … uid timeout inode
      if (cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`) && cols[9]) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** True when process `pid` itself holds a socket listening on `port`: a connect() alone could
 *  reach another process that took the port, while modpy is about to exit with EADDRINUSE. */
function listensOn(pid: number, port: number): boolean {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match && inodes.has(match[1] as string)) return true;
    } catch {
      // the fd was closed while we looked
    }
  }
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(file: string, what: string, re: RegExp, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = readOr(file);
    if (re.test(text)) return text;
    if (Date.now() > end) throw new Error(`${what} never matched ${re}:\n${text}`);
    await sleep(25);
  }
}

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Builds the full config text: defaults first, so the caller's directives override them. */
export function buildConfigText(config: string, root: string, ports: number[]): string {
  const filled = fill(config, root, ports);
  const head = [
    `ServerName 127.0.0.1`,
    `PidFile logs/modpy.pid`,
    `ErrorLog logs/error_log`,
    `LogLevel info`,
    `DocumentRoot ${root}/htdocs`,
    `LogFormat "%h %l %u %t \\"%r\\" %>s %b" common`,
    `CustomLog logs/access_log common`,
  ];
  if (!/^\s*Listen\s/im.test(filled)) for (const p of ports) head.unshift(`Listen 127.0.0.1:${p}`);
  return `${head.join('\n')}\n${filled}\n`;
}

/** How often startLiveServer tries fresh ports when modpy found its port taken. */
const START_ATTEMPTS = 3;
/** What modpy says (output and error log) when it cannot bind a Listen address. */
const ADDRESS_IN_USE = /EADDRINUSE|Address already in use|AH00072/;

/**
 * Starts modpy as a child process; see the module header. freePort() cannot reserve its port:
 * between closing it and modpy's bind, a test running in parallel may take it. When modpy exits
 * because an address is in use, everything is set up again with new ports (up to 3 attempts).
 */
export async function startLiveServer(opts: LiveServerOptions): Promise<LiveServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      const portTaken = err instanceof Error && ADDRESS_IN_USE.test(err.message);
      if (!portTaken || attempt >= START_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(opts: LiveServerOptions): Promise<LiveServer> {
  const root = await mkdtemp(join(tmpdir(), 'modpy-live-'));
  const ports: number[] = [];
  for (let i = 0; i < (opts.ports ?? 1); i++) ports.push(await (opts.pickPort ?? freePort)());
  await mkdir(join(root, 'logs'), { recursive: true });
  await mkdir(join(root, 'htdocs'), { recursive: true });
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    const target = join(root, rel);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, typeof content === 'string' ? fill(content, root, ports) : content);
  }
  const configFile = join(root, 'conf', 'httpd.conf');
  await mkdir(dirname(configFile), { recursive: true });
  await writeFile(configFile, buildConfigText(opts.config, root, ports));

  const outFile = join(root, 'logs', 'output');
  const outFd = openSync(outFile, 'a');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI_ENTRY, '-d', root, '-f', configFile, '-DFOREGROUND', ...(opts.args ?? [])],
    { cwd: REPO_ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', outFd, outFd] }, // cwd: tsx resolves from the repository
  );
  closeSync(outFd);
  let exitCode: number | null | undefined;
  const exitPromise = new Promise<number | null>((done) => {
    child.once('exit', (code) => {
      exitCode = code;
      done(code);
    });
  });

  const errorLogFile = join(root, 'logs', 'error_log');
  const srv: LiveServer = {
    root,
    port: ports[0] ?? 0,
    ports,
    pid: child.pid ?? 0,
    configFile,
    process: child,
    url: (path, portIndex = 0) => `http://127.0.0.1:${ports[portIndex]}${path}`,
    errorLog: () => readOr(errorLogFile),
    accessLog: () => readOr(join(root, 'logs', 'access_log')),
    output: () => readOr(outFile),
    waitForLog: (re, timeoutMs = 10000) => waitFor(errorLogFile, 'error log', re, timeoutMs),
    waitForAccessLog: (re, timeoutMs = 10000) => waitFor(join(root, 'logs', 'access_log'), 'access log', re, timeoutMs),
    async waitForLogLine(relPath, start, timeoutMs = 10000) {
      const starts = (line: string): boolean => line.startsWith(start);
      const re = new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm');
      return (await waitFor(join(root, relPath), relPath, re, timeoutMs)).split('\n').find(starts) as string;
    },
    waitForFile: (relPath, timeoutMs = 10000) => waitForFile(join(root, relPath), timeoutMs),
    signal(sig) {
      if (exitCode === undefined) child.kill(sig);
    },
    exited: () => exitPromise,
    async stop(sig = 'SIGTERM') {
      if (exitCode === undefined) {
        child.kill(sig);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exitPromise;
        clearTimeout(timer);
      }
      if (!opts.keepRoot) await rm(root, { recursive: true, force: true });
      return exitCode ?? null;
    },
  };

  const end = Date.now() + (opts.startTimeoutMs ?? 15000);
  for (;;) {
    if (exitCode !== undefined) {
      const why = `modpy exited (${exitCode}) before listening:\n${srv.output()}\n--- error log:\n${srv.errorLog()}`;
      await rm(root, { recursive: true, force: true });
      throw new Error(why);
    }
    let all = true;
    for (const p of ports) if (!listensOn(srv.pid, p) || !(await canConnect(p))) all = false;
    if (all) return srv;
    if (Date.now() > end) {
      const why = `modpy did not listen within the timeout:\n${srv.output()}\n--- error log:\n${srv.errorLog()}`;
      await srv.stop('SIGKILL');
      throw new Error(why);
    }
    await sleep(40);
  }
}

/** Sends raw bytes on a fresh TCP connection and resolves with everything the server sent
 *  until it closed the connection (or `timeoutMs` passed). For malformed-request tests. */
export function rawRequest(port: number, data: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((done, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => sock.destroy(), timeoutMs);
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.once('error', (e) => {
      clearTimeout(timer);
      if (chunks.length) done(Buffer.concat(chunks).toString('latin1'));
      else reject(e);
    });
    sock.once('close', () => {
      clearTimeout(timer);
      done(Buffer.concat(chunks).toString('latin1'));
    });
    sock.write(data);
  });
}
