/**
 * @module compat/lib/server-process — starts a server as its own process group, waits until its
 * ports accept connections, and stops it by that group id, waiting until no process of the
 * group is left. Exit and signal handlers stop whatever is still running, so a crashed or
 * interrupted run never leaves an Apache behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

export interface ServerProcess {
  label: string;
  pgid: number;
  child: ChildProcess;
  /** Everything the process wrote on stdout/stderr (for start-up failures). */
  output: () => string;
}

const running = new Set<ServerProcess>();

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

function groupAlive(pgid: number): boolean {
  return killGroup(pgid, 0 as unknown as NodeJS.Signals);
}

// Last resort: synchronous, so it also works from process.on('exit').
process.on('exit', () => {
  for (const p of running) killGroup(p.pgid, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    for (const p of running) killGroup(p.pgid, 'SIGKILL');
    process.exit(130);
  });
}

export function startProcess(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): ServerProcess {
  const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer): void => {
    if (out.length < 64_000) out += b.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid === undefined) throw new Error(`${label}: could not start ${cmd}`);
  const proc: ServerProcess = { label, pgid: child.pid, child, output: () => out };
  running.add(proc);
  child.on('error', (err) => {
    out += `\n${String(err)}`;
  });
  return proc;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when every port accepts; rejects with the process output if it exits or times out. */
export async function waitForPorts(proc: ServerProcess, ports: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.label} exited (${proc.child.exitCode ?? proc.child.signalCode}) before serving:\n${proc.output().trim()}`);
    }
    const open = await Promise.all(ports.map(portOpen));
    if (open.every(Boolean)) return;
    await sleep(50);
  }
  throw new Error(`${proc.label} did not listen on ${ports.join(', ')} within ${timeoutMs} ms:\n${proc.output().trim()}`);
}

/** SIGTERM to the server's main process (it stops its own children, as a real shutdown would),
 *  SIGKILL to the whole group after `graceMs`; resolves once no process of the group is left. */
export async function stopProcess(proc: ServerProcess, graceMs = 5000): Promise<void> {
  try {
    process.kill(proc.pgid, 'SIGTERM');
  } catch {
    // already gone; the group check below still waits for stragglers
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(proc.pgid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(proc.pgid)) {
    killGroup(proc.pgid, 'SIGKILL');
    while (groupAlive(proc.pgid)) await sleep(20);
  }
  running.delete(proc);
}
