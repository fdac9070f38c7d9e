/**
 * @module bench/measure — one row: a warm-up wrk run, then a measured wrk run with the
 * server tree's CPU read before and after, and its PSS read right after the load.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR } from './launch.js';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { clockTicksPerSecond, treeCpuTicks, treePss } from './process-tree.js';
import { parseMachineCpu } from './proc-stats.js';
import type { BenchRow } from './results.js';
import { parseBashTimes, parseWrkOutput, type WrkResult } from './wrk-output.js';

const REPORT_LUA = join(BENCH_DIR, 'wrk', 'report.lua');

export interface Load {
  url: string;
  connections: number;
  seconds: number;
  postBytes: number;
  cookies: readonly string[];
}

/**
 * Runs wrk (one thread: the machine is small and wrk shares it) and parses its RESULT line.
 * wrk runs under bash so that `times` reports wrk's own CPU seconds (cpuSeconds).
 */
export async function runWrk(load: Load): Promise<WrkResult & { cpuSeconds: number }> {
  // load only ever goes to loopback
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(load.url)) throw new Error(`refusing to load a non-loopback URL: ${load.url}`);
  const args = ['-t1', `-c${load.connections}`, `-d${load.seconds}s`, '--latency', '--timeout', '5s', '-s', REPORT_LUA, load.url];
  const env = { ...process.env, WRK_POST_BYTES: String(load.postBytes), WRK_COOKIES: load.cookies.join(',') };
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', 'wrk "$@" 2>&1; echo; times', 'wrk', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // wrk stops itself after -d; this only guards against a wedged wrk
    const guard = setTimeout(() => child.kill('SIGKILL'), (load.seconds + 20) * 1000);
    child.once('error', (err) => { clearTimeout(guard); reject(err); });
    child.once('close', () => {
      clearTimeout(guard);
      try {
        resolve({ ...parseWrkOutput(output), cpuSeconds: parseBashTimes(output) });
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

export interface RowLoad extends Omit<Load, 'seconds'> {
  server: string;
  scenario: string;
  warmupSeconds: number;
  durationSeconds: number;
  rootPid: number;
}

export async function measureRow(r: RowLoad): Promise<BenchRow> {
  const base = { server: r.server, scenario: r.scenario, connections: r.connections };
  try {
    await runWrk({ ...r, seconds: r.warmupSeconds });
    const machineBefore = parseMachineCpu(readFileSync('/proc/stat', 'utf8'));
    const before = treeCpuTicks(r.rootPid);
    const result = await runWrk({ ...r, seconds: r.durationSeconds });
    const after = treeCpuTicks(r.rootPid);
    const machineAfter = parseMachineCpu(readFileSync('/proc/stat', 'utf8'));
    const mem = treePss(r.rootPid);
    const hz = clockTicksPerSecond();
    if (result.requests === 0) {
      return { ...base, status: 'failed', reason: `stalled: no request completed in ${r.durationSeconds} s (${result.errors} errors)` };
    }
    const cpuSeconds = (after.total - before.total) / hz;
    const cpuByCommand: Record<string, number> = {};
    for (const [comm, ticks] of after.byCommand) {
      const us = ((ticks - (before.byCommand.get(comm) ?? 0)) / hz) * 1e6 / result.requests;
      if (us >= 0.5) cpuByCommand[comm] = Math.round(us);
    }
    // whatever else ran on the machine meanwhile (other people's tests): the run's noise
    const wallSeconds = (machineAfter.total - machineBefore.total) / hz / cpus().length;
    const otherSeconds = (machineAfter.busy - machineBefore.busy) / hz - cpuSeconds - result.cpuSeconds;
    return {
      ...base,
      status: 'ok',
      requests: result.requests,
      rps: result.requestsPerSecond,
      p50Ms: result.p50Us / 1000,
      p99Ms: result.p99Us / 1000,
      cpuUsPerRequest: (cpuSeconds * 1e6) / result.requests,
      cpuUsPerRequestByCommand: cpuByCommand,
      pssMiB: mem.pssKiB / 1024,
      processes: mem.processes,
      errors: result.errors,
      wrkCpuUsPerRequest: (result.cpuSeconds * 1e6) / result.requests,
      otherCpuCores: wallSeconds > 0 ? Math.max(0, otherSeconds / wallSeconds) : 0,
    };
  } catch (err) {
    return { ...base, status: 'failed', reason: `wrk: ${(err as Error).message}` };
  }
}
