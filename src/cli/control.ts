/**
 * @module cli/control — httpd's `-k` actions: `start` detaches a foreground server (stdio to the
 * error log) and returns once it listens (its PidFile names it) or prints why it did not start;
 * `stop`/`graceful-stop` send SIGTERM to the PidFile's pid and wait until the process (and so
 * its workers: it exits after them) is gone; `restart`/`graceful` send SIGHUP.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { LoadedConfig } from '../config/types.js';
import { createError } from '../errors.js';

/** Set in the environment of the detached child so it runs the server instead of detaching again. */
export const DAEMON_CHILD_ENV = 'MODPY_DAEMON_CHILD';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid a PidFile names; null when it is absent, unreadable or holds no pid. */
export function readPid(pidFile: string): number | null {
  try {
    const n = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readFrom(path: string, offset: number): string {
  try {
    return readFileSync(path).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

/** `-k start`: spawns this program again, detached, and waits until it listens. */
export async function startDetached(cfg: LoadedConfig, argv: readonly string[], timeoutMs = 30_000): Promise<number> {
  const running = readPid(cfg.pidFile);
  if (running !== null && isAlive(running)) {
    process.stderr.write(`${createError('CLI_ALREADY_RUNNING', running).message}\n`);
    return 0;
  }
  const logTarget = cfg.main.errorLog;
  const logIsFile = !!logTarget && isAbsolute(logTarget);
  const outPath = logIsFile ? (logTarget as string) : join(tmpdir(), `modpy-start-${process.pid}.log`);
  const offset = fileSize(outPath);
  let fd: number;
  try {
    fd = openSync(outPath, 'a');
  } catch (err) {
    process.stderr.write(`${createError('CLI_START_FAILED', `cannot open ${outPath}: ${(err as Error).message}`).message}\n`);
    return 1;
  }
  const childArgs = [...process.execArgv, process.argv[1] as string, ...argv.filter((a, i) => !(a === '-k' || argv[i - 1] === '-k' || a === '-kstart'))];
  const child = spawn(process.execPath, childArgs, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, [DAEMON_CHILD_ENV]: '1' },
  });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const end = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) {
        const why = readFrom(outPath, offset).trim();
        process.stderr.write(`${why ? `${why}\n` : ''}${createError('CLI_START_FAILED', `exited with status ${exited}; see ${outPath}`).message}\n`);
        return 1;
      }
      if (readPid(cfg.pidFile) === child.pid) {
        child.unref();
        return 0;
      }
      if (Date.now() > end) {
        child.kill('SIGTERM');
        process.stderr.write(`${createError('CLI_START_FAILED', `did not listen within ${timeoutMs} ms; see ${outPath}`).message}\n`);
        return 1;
      }
      await sleep(50);
    }
  } finally {
    // The temp capture only serves start-up failures; a running server keeps writing to it.
    if (!logIsFile && exited !== undefined) await rm(outPath, { force: true });
  }
}

/** `-k stop` / `-k graceful-stop`: SIGTERM and wait for the process to be gone. */
export async function stopServer(cfg: LoadedConfig, timeoutMs: number): Promise<number> {
  const pid = readPid(cfg.pidFile);
  if (pid === null) {
    process.stderr.write(`${createError('CLI_NOT_RUNNING', `modpy (no pid file) not running: ${cfg.pidFile}`).message}\n`);
    return 1;
  }
  if (!isAlive(pid)) {
    process.stderr.write(`${createError('CLI_NOT_RUNNING', `modpy (pid ${pid}?) not running`).message}\n`);
    await rm(cfg.pidFile, { force: true });
    return 1;
  }
  process.kill(pid, 'SIGTERM');
  const end = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > end) {
      process.stderr.write(`modpy (pid ${pid}) still running after ${timeoutMs} ms\n`);
      return 1;
    }
    await sleep(50);
  }
  return 0;
}

/** `-k restart` / `-k graceful`: SIGHUP (re-read the configuration, roll the workers). */
export function reloadServer(cfg: LoadedConfig): number {
  const pid = readPid(cfg.pidFile);
  if (pid === null || !isAlive(pid)) {
    process.stderr.write(`${createError('CLI_NOT_RUNNING', `modpy not running (PidFile ${cfg.pidFile})`).message}\n`);
    return 1;
  }
  process.kill(pid, 'SIGHUP');
  return 0;
}
