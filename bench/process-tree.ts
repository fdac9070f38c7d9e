/**
 * @module bench/process-tree — a server is its whole process tree (Apache's children,
 * mod_wsgi's daemons, modpy's Python workers): its CPU, its memory, and stopping it by pid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpuTicks, descendantsOf, parsePssKiB, parseProcStat, type ProcStat } from './proc-stats.js';

function readStat(pid: number): (ProcStat & { state: string }) | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
    return { ...parseProcStat(text), state };
  } catch {
    return undefined; // exited between readdir and read
  }
}

/** Every live process: pid → stat. */
function processTable(): Map<number, ProcStat & { state: string }> {
  const table = new Map<number, ProcStat & { state: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) table.set(s.pid, s);
  }
  return table;
}

/** `root` and its descendants that are alive now. */
export function treePids(root: number): number[] {
  const table = processTable();
  if (!table.has(root)) return [];
  return descendantsOf(root, new Map([...table].map(([pid, s]) => [pid, s.ppid])));
}

/**
 * CPU ticks used so far by the tree (own + reaped children's), for before/after deltas, in
 * total and by command name ("node", "python3", "apache2"): where a server spends its CPU.
 */
export function treeCpuTicks(root: number): { total: number; byCommand: Map<string, number> } {
  let total = 0;
  const byCommand = new Map<string, number>();
  for (const pid of treePids(root)) {
    const s = readStat(pid);
    if (!s) continue;
    total += cpuTicks(s);
    byCommand.set(s.comm, (byCommand.get(s.comm) ?? 0) + cpuTicks(s));
  }
  return { total, byCommand };
}

/** PSS of the whole tree, in KiB, and how many processes it has. */
export function treePss(root: number): { pssKiB: number; processes: number } {
  let pssKiB = 0;
  let processes = 0;
  for (const pid of treePids(root)) {
    try {
      pssKiB += parsePssKiB(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      processes++;
    } catch {
      // a process that just exited (or a kernel thread without mappings) has no PSS to add
    }
  }
  return { pssKiB, processes };
}

let ticksPerSecond: number | undefined;
/** CLK_TCK, the unit of the /proc/PID/stat times (100 on Linux nearly always). */
export function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

function isAlive(pid: number): boolean {
  const s = readStat(pid);
  return s !== undefined && s.state !== 'Z'; // a zombie has exited, it only waits to be reaped
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a server: SIGTERM to the root, then waits for EVERY process of the tree (listed
 * before the signal) to exit; after `graceMs`, SIGKILLs the leftovers one pid at a time.
 * Returns the pids that had to be killed; throws if any is still alive after that.
 */
export async function stopTree(root: number, graceMs = 10_000): Promise<number[]> {
  const pids = treePids(root);
  if (pids.length === 0) return [];
  try {
    process.kill(root, 'SIGTERM');
  } catch {
    // already gone: its children (if any) are still checked below
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(isAlive)) await sleep(50);
  const killed = pids.filter(isAlive);
  for (const pid of killed) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  const killDeadline = Date.now() + 3000;
  while (Date.now() < killDeadline && killed.some(isAlive)) await sleep(50);
  const survivors = killed.filter(isAlive);
  if (survivors.length > 0) throw new Error(`processes still alive after SIGKILL: ${survivors.join(' ')}`);
  return killed;
}
