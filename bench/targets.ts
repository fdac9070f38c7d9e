/**
 * @module bench/targets — the performance targets of issue 6, and their PASS/MISS verdicts
 * against one run. Every ratio is modpy ÷ peer from the same run (same machine, same minute),
 * never against numbers from another day.
 */
import { findRow, type BenchRow } from './results.js';

export type TargetSpec =
  | { kind: 'ratio'; scenario: string; connections: number; peer: string; min: number }
  | { kind: 'p99'; scenario: string; connections: number; maxMs: number }
  | { kind: 'pss'; scenario: string; connections: number; maxMiB: number };

export interface TargetResult {
  spec: TargetSpec;
  description: string;
  /** The measured value in the target's unit ("1.42x", "1.8 ms", "96 MiB"), or why none. */
  value: string;
  verdict: 'PASS' | 'MISS' | 'n/a';
}

/** The server the targets are about. */
export const SUBJECT = 'modpy';

function ratios(scenario: string, connections: number[], peer: string, min: number): TargetSpec[] {
  return connections.map((c) => ({ kind: 'ratio', scenario, connections: c, peer, min }) as const);
}

/** Issue 6's list. Publisher, PSP, echo, 1 MiB and static are held to both c1 and c32. */
export const TARGETS: readonly TargetSpec[] = [
  ...ratios('hello', [32], 'mp-prefork', 1.3),
  ...ratios('hello', [32], 'node', 0.6),
  ...ratios('hello', [1], 'mp-prefork', 1.0),
  ...ratios('publisher', [1, 32], 'mp-prefork', 2),
  ...ratios('psp', [1, 32], 'mp-prefork', 2),
  ...ratios('wsgi', [1, 32], 'wsgi-daemon', 2),
  ...ratios('wsgi', [1, 32], 'wsgi-embedded', 1),
  ...ratios('echo', [1, 32], 'mp-prefork', 1),
  ...ratios('big', [1, 32], 'mp-prefork', 1),
  ...ratios('static', [1, 32], 'mp-prefork', 1),
  ...ratios('hello', [1, 32], 'cgi', 250),
  { kind: 'p99', scenario: 'hello', connections: 32, maxMs: 2 },
  { kind: 'pss', scenario: 'hello', connections: 32, maxMiB: 150 },
];

export function describeTarget(t: TargetSpec, serverName: (id: string) => string = (id) => id): string {
  switch (t.kind) {
    case 'ratio':
      return `${t.scenario} c${t.connections}: modpy ≥ ${t.min}x ${serverName(t.peer)}`;
    case 'p99':
      return `${t.scenario} c${t.connections}: modpy p99 ≤ ${t.maxMs} ms`;
    case 'pss':
      return `${t.scenario} c${t.connections}: modpy whole-server PSS after the load ≤ ${t.maxMiB} MiB`;
  }
}

/** modpy's req/s over the peer's for one scenario and connection count, when both were measured. */
export function ratioOf(rows: readonly BenchRow[], scenario: string, connections: number, peer: string): number | undefined {
  const mine = findRow(rows, SUBJECT, scenario, connections);
  const theirs = findRow(rows, peer, scenario, connections);
  if (!mine?.rps || !theirs?.rps) return undefined;
  return mine.rps / theirs.rps;
}

/** Above this many cores busy elsewhere during a row, its numbers are marked "(noisy)". */
export const NOISY_OTHER_CORES = 0.5;

function isNoisy(row: BenchRow | undefined): boolean {
  return (row?.otherCpuCores ?? 0) > NOISY_OTHER_CORES;
}

function evaluateOne(t: TargetSpec, rows: readonly BenchRow[], serverName: (id: string) => string): TargetResult {
  const description = describeTarget(t, serverName);
  const na = (why: string): TargetResult => ({ spec: t, description, value: why, verdict: 'n/a' });
  if (t.kind === 'ratio') {
    const r = ratioOf(rows, t.scenario, t.connections, t.peer);
    if (r === undefined) return na('not measured');
    const noisy = isNoisy(findRow(rows, SUBJECT, t.scenario, t.connections)) || isNoisy(findRow(rows, t.peer, t.scenario, t.connections));
    return { spec: t, description, value: `${r.toFixed(2)}x${noisy ? ' (noisy)' : ''}`, verdict: r >= t.min ? 'PASS' : 'MISS' };
  }
  const row = findRow(rows, SUBJECT, t.scenario, t.connections);
  if (t.kind === 'p99') {
    if (row?.p99Ms === undefined) return na('not measured');
    return { spec: t, description, value: `${row.p99Ms.toFixed(2)} ms${isNoisy(row) ? ' (noisy)' : ''}`, verdict: row.p99Ms <= t.maxMs ? 'PASS' : 'MISS' };
  }
  if (row?.pssMiB === undefined) return na('not measured');
  return { spec: t, description, value: `${row.pssMiB.toFixed(0)} MiB`, verdict: row.pssMiB <= t.maxMiB ? 'PASS' : 'MISS' };
}

/** Verdicts for every target, in TARGETS order; n/a when a side of the comparison is missing. */
export function evaluateTargets(rows: readonly BenchRow[], serverName?: (id: string) => string): TargetResult[] {
  return TARGETS.map((t) => evaluateOne(t, rows, serverName ?? ((id) => id)));
}

/** The ratio target that applies to a peer row, if any (for the PASS/MISS column). */
export function targetForRow(row: BenchRow): (TargetSpec & { kind: 'ratio' }) | undefined {
  for (const t of TARGETS) {
    if (t.kind === 'ratio' && t.peer === row.server && t.scenario === row.scenario && t.connections === row.connections) return t;
  }
  return undefined;
}
