/**
 * @module bench/run-instance — one server instance through its rows: start it, check every
 * endpoint on the fresh server, measure each row (again when the machine was busy elsewhere),
 * and stop it by pid. A row that stalls the server gets a fresh start for the rows after it
 * (at most twice), so one stall costs its own row, not every later scenario.
 */
import { join } from 'node:path';
import { checkEndpoint } from './check.js';
import { launch, type RunningServer } from './launch.js';
import { measureRow, type RowLoad } from './measure.js';
import type { BenchOptions } from './options.js';
import { rowKey, type PlannedInstance, type PlannedRow } from './plan.js';
import type { BenchRow } from './results.js';
import { SCENARIOS } from './scenarios.js';

/** Other processes using more than this many cores during a row make it a re-run. */
const NOISY_CORES = 0.25;
const RESTARTS_PER_INSTANCE = 2;

export interface InstanceContext {
  work: string;
  opts: BenchOptions;
  buildProblem?: string;
  log: (msg: string) => void;
  /** Called with the running server (or undefined once stopped), so Ctrl-C can stop it. */
  onServer: (s: RunningServer | undefined) => void;
  /** Noise re-runs left for the whole bench run (shared budget, decremented here). */
  retries: { left: number };
}

function oneLine(reason: string, max = 400): string {
  const s = reason.replace(/\s*\n\s*/g, ' | ');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function failed(r: PlannedRow, reason: string): BenchRow {
  return { server: r.server, scenario: r.scenario, connections: r.connections, status: 'failed', reason: oneLine(reason) };
}

function describe(row: BenchRow): string {
  if (row.status !== 'ok') return row.reason ?? 'failed';
  return `${Math.round(row.rps ?? 0)} req/s, p50 ${row.p50Ms?.toFixed(2)} ms, p99 ${row.p99Ms?.toFixed(2)} ms, ` +
    `${Math.round(row.cpuUsPerRequest ?? 0)} µs CPU/req, PSS ${Math.round(row.pssMiB ?? 0)} MiB, errors ${row.errors}, ` +
    `other load ${row.otherCpuCores?.toFixed(2)} cores`;
}

/** Checks each distinct endpoint of `rows` once: the cookies wrk needs, or why it is wrong. */
async function checkAll(server: RunningServer, rows: readonly PlannedRow[]): Promise<Map<string, string[] | Error>> {
  const checked = new Map<string, string[] | Error>();
  for (const r of rows) {
    const key = `${r.server} ${r.scenario}`;
    if (!checked.has(key)) checked.set(key, await checkEndpoint(SCENARIOS[r.scenario], server.baseUrl + r.path).catch((e: unknown) => e as Error));
  }
  return checked;
}

async function measureQuietest(load: RowLoad, r: PlannedRow, ctx: InstanceContext): Promise<BenchRow> {
  let row = await measureRow(load);
  // The machine is shared: when something else took CPU during the row, measure it again
  // (at most twice, full mode only: --quick stays quick) and keep the quietest attempt.
  const attempts = ctx.opts.mode === 'full' ? 3 : 1;
  for (let attempt = 2; attempt <= attempts && row.status === 'ok' && (row.otherCpuCores ?? 0) > NOISY_CORES && ctx.retries.left > 0; attempt++) {
    ctx.retries.left--;
    ctx.log(`${rowKey(r)}: ${row.otherCpuCores?.toFixed(2)} cores busy elsewhere, measuring again (attempt ${attempt})`);
    const again = await measureRow(load);
    if (again.status === 'ok' && (again.otherCpuCores ?? 0) < (row.otherCpuCores ?? 0)) row = again;
  }
  return row;
}

async function stop(server: RunningServer, ctx: InstanceContext): Promise<void> {
  const killed = await server.stop();
  ctx.onServer(undefined);
  if (killed.length > 0) ctx.log(`${server.id}: did not exit within 10 s of SIGTERM; SIGKILLed ${killed.join(' ')}`);
  ctx.log(`${server.id}: stopped`);
}

export async function runInstance(p: PlannedInstance, ctx: InstanceContext): Promise<BenchRow[]> {
  const { instance, rows } = p;
  const dir = join(ctx.work, instance.id);
  const out: BenchRow[] = [];
  let restarts = 0;
  let i = 0;
  while (i < rows.length) {
    const remaining = rows.slice(i);
    ctx.log(`== ${instance.id}: starting (${remaining.length} rows)`);
    let server: RunningServer;
    try {
      server = await launch(instance, `${dir}${restarts > 0 ? `-restart${restarts}` : ''}`, remaining[0]?.path ?? '/');
    } catch (err) {
      let reason = (err as Error).message;
      if (instance.launch.kind === 'modpy' && ctx.buildProblem) reason += ` (and ${ctx.buildProblem})`;
      ctx.log(`${instance.id} ${reason}`);
      return [...out, ...remaining.map((r) => failed(r, reason))];
    }
    ctx.onServer(server);
    let stalled = false;
    try {
      // Every endpoint is checked on the fresh server, before any load: this also loads each
      // handler once, and a later row's check cannot be spoiled by what an earlier load left.
      const checked = await checkAll(server, remaining);
      for (; i < rows.length && !stalled; i++) {
        const r = rows[i] as PlannedRow;
        const check = checked.get(`${r.server} ${r.scenario}`);
        let row: BenchRow;
        if (check instanceof Error) {
          row = failed(r, check.message);
        } else {
          const scenario = SCENARIOS[r.scenario];
          row = await measureQuietest({
            server: r.server, scenario: r.scenario, url: server.baseUrl + r.path, connections: r.connections,
            postBytes: scenario.postBytes, cookies: check ?? [], warmupSeconds: ctx.opts.warmupSeconds,
            durationSeconds: ctx.opts.durationSeconds, rootPid: server.pid,
          }, r, ctx);
          stalled = row.reason?.startsWith('stalled') === true && restarts < RESTARTS_PER_INSTANCE;
        }
        ctx.log(`${rowKey(r)}: ${describe(row)}`);
        out.push(row);
      }
    } finally {
      await stop(server, ctx);
    }
    if (stalled) {
      restarts++;
      ctx.log(`${instance.id}: stalled; a fresh start for the rows after it (restart ${restarts})`);
    }
  }
  return out;
}
