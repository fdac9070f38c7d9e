/**
 * @module bench/budget — what a missed target would take, worked out from the run's own rows.
 *
 * A ratio target names a request rate (min × the peer's req/s). At c32 the machine is shared by
 * the server and wrk, so that rate is a CPU budget per request: cores ÷ rate, minus what wrk
 * itself spent per request, is what the server may use. At c1 a request is one round trip at a
 * time, so the rate is a time budget per round trip. Beside each budget stands what modpy used
 * and what bare node:http used (no Python behind it: the floor of any server whose front is
 * node:http); when bare node:http itself stays under the target, no such server can meet it on
 * this machine, and the line says so. These are measurements of one run, not projections.
 */
import { findRow, type BenchRow, type BenchRun } from './results.js';
import { cpuSplitText } from './table.js';
import { evaluateTargets, SUBJECT, type TargetResult, type TargetSpec } from './targets.js';

/** The bare node:http server of the bench (bench/servers.ts). */
const BARE_NODE = 'node';

const us = (v: number): string => `${Math.round(v)} µs`;
const rate = (v: number): string => `${Math.round(v).toLocaleString('en-US')} req/s`;

/** Bare node:http's row for the scenario, else its hello (the least any answer costs it). */
function bareNodeRow(rows: readonly BenchRow[], scenario: string, connections: number): { row: BenchRow; same: boolean } | undefined {
  const same = findRow(rows, BARE_NODE, scenario, connections);
  if (same) return { row: same, same: true };
  const hello = findRow(rows, BARE_NODE, 'hello', connections);
  return hello ? { row: hello, same: false } : undefined;
}

/** Sentences on what target `t` (missed) would take, from `run`'s rows; [] when a side is missing. */
export function missBudget(t: TargetSpec, run: BenchRun): string[] {
  const rows = run.rows;
  const mine = findRow(rows, SUBJECT, t.scenario, t.connections);
  if (!mine?.rps) return [];
  if (t.kind === 'p99') return p99Budget(t.maxMs, mine, t.connections);
  if (t.kind !== 'ratio') return [];
  const peer = findRow(rows, t.peer, t.scenario, t.connections);
  if (!peer?.rps) return [];
  const need = t.min * peer.rps;
  const bare = t.peer === BARE_NODE ? undefined : bareNodeRow(rows, t.scenario, t.connections);
  // "answering hello": for a scenario bare node:http does not serve, its cheapest answer stands in.
  const how = bare?.same ? '' : ', answering hello,';
  const out: string[] = [];
  if (t.connections === 1) {
    const budget = 1e6 / need;
    let line = `At c1 a request is one round trip: ${t.min}x is ${rate(need)}, a round trip of at most ${us(budget)}`;
    if (bare?.row.rps) {
      const own = 1e6 / bare.row.rps;
      line += `; bare node:http's own round trip${how} took ${us(own)}`;
      line += own < budget ? `, which leaves ${us(budget - own)} for the way to Python and back and the handler` : ', more than all of it';
    }
    out.push(`${line}; modpy's took ${us(1e6 / mine.rps)}.`);
  } else {
    const all = (run.machine.cpus * 1e6) / need;
    const wrk = mine.wrkCpuUsPerRequest ?? 0;
    const server = Math.max(0, all - wrk);
    let line = `At ${rate(need)} the ${run.machine.cpus} cores hold at most ${us(all)} of CPU per request`;
    line += wrk ? `; wrk used ${us(wrk)} of it here, which leaves at most ${us(server)} for the server` : '';
    const bareCpu = bare?.row.cpuUsPerRequest;
    if (bareCpu !== undefined) {
      line += `. Bare node:http${how} used ${us(bareCpu)}`;
      line += bareCpu < server ? `, which leaves ${us(server - bareCpu)} for everything behind the front` : ', more than all of it';
    }
    if (mine.cpuUsPerRequest !== undefined) {
      const split = mine.cpuUsPerRequestByCommand ?? {};
      line += `; modpy used ${us(mine.cpuUsPerRequest)}${Object.keys(split).length > 1 ? ` (${cpuSplitText(mine)})` : ''}`;
      // Every process of the tree but node is a Python worker (its command is the interpreter's name).
      const workers = Object.entries(split).reduce((sum, [command, v]) => (command === 'node' ? sum : sum + v), 0);
      if (workers > server) line += ': its Python workers alone used more than the whole server may';
      // Under budget and still short: the row waited (wake-ups, a slow stretch), it did not work.
      else if (mine.cpuUsPerRequest <= server) line += ', within the budget: that row was short of work, not of CPU';
    }
    out.push(`${line}.`);
  }
  if (bare?.row.rps) {
    const ceiling = bare.row.rps / peer.rps;
    const what = `Bare node:http${bare.same ? '' : ' answering hello'} reaches ${ceiling.toFixed(2)}x here`;
    out.push(ceiling < t.min ? `${what}: below the target, so no server that answers through node:http meets it on this machine.` : `${what}.`);
  }
  return out;
}

/** The targets `run` did not pass, each with what meeting it would take (report.ts, run.ts). */
export function explainMisses(run: BenchRun): { target: TargetResult; budget: string[] }[] {
  return evaluateTargets(run.rows, (id) => run.servers[id] ?? id)
    .filter((target) => target.verdict !== 'PASS')
    .map((target) => ({ target, budget: missBudget(target.spec, run) }));
}

function p99Budget(maxMs: number, mine: BenchRow, connections: number): string[] {
  if (mine.p99Ms === undefined || !mine.rps) return [];
  // Little's law: N requests always in flight at R req/s spend N / R seconds each, on average.
  const meanMs = (connections / mine.rps) * 1000;
  const tail = mine.p99Ms / meanMs;
  return [
    `${connections} connections at ${rate(mine.rps)} hold each request ${meanMs.toFixed(2)} ms on average (Little's law) ` +
      `and p99 was ${tail.toFixed(1)}x that; with the same spread, p99 ≤ ${maxMs} ms takes ${rate((connections * 1000 * tail) / maxMs)}.`,
  ];
}
