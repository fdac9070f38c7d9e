/**
 * @module bench/steadiness — was the machine steady during the run? The default pool (2
 * workers) and the "2 workers" scaling row are the same server measured minutes apart, so their
 * hello numbers should agree; when they do not, the machine's speed moved during the run (a
 * busy host under the VM shows no "other cores" load) and single ratios are off by as much.
 */
import { findRow, type BenchRun } from './results.js';

/** Above this difference between the two identical rows the run is called unsteady. */
export const STEADY_WITHIN = 0.1;

export interface Steadiness {
  connections: number;
  defaultRps: number;
  twoWorkersRps: number;
  /** |a - b| / max(a, b) */
  difference: number;
  steady: boolean;
}

export function steadiness(run: BenchRun): Steadiness[] {
  const out: Steadiness[] = [];
  for (const connections of [1, 32]) {
    const a = findRow(run.rows, 'modpy', 'hello', connections);
    const b = findRow(run.rows, 'modpy-w2', 'hello', connections);
    if (a?.status !== 'ok' || b?.status !== 'ok' || !a.rps || !b.rps) continue;
    const difference = Math.abs(a.rps - b.rps) / Math.max(a.rps, b.rps);
    out.push({ connections, defaultRps: a.rps, twoWorkersRps: b.rps, difference, steady: difference <= STEADY_WITHIN });
  }
  return out;
}

/** One line per comparison, e.g. "hello c32: default pool 16,029 vs 2 workers 15,770 req/s (2 % apart): steady". */
export function steadinessLines(run: BenchRun): string[] {
  return steadiness(run).map(
    (s) =>
      `hello c${s.connections}: default pool ${Math.round(s.defaultRps).toLocaleString('en-US')} vs 2 workers ` +
      `${Math.round(s.twoWorkersRps).toLocaleString('en-US')} req/s (${Math.round(s.difference * 100)} % apart): ` +
      (s.steady ? 'steady' : `UNSTEADY (more than ${STEADY_WITHIN * 100} %): ratios of this run are off by as much`),
  );
}
