/**
 * @module bench/run — `npm run bench`: starts each server alone on 127.0.0.1, checks its
 * answers, loads it with wrk, reads its process tree's CPU and memory, stops it by pid, and
 * prints modpy beside Apache + mod_python, mod_wsgi, CGI and bare node, with the targets.
 * Results go to bench/results/latest.json (bench/report.ts turns them into docs).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkEndpoint } from './check.js';
import { ensurePeers } from './install.js';
import { BENCH_DIR, launch, REPO_DIR, type RunningServer } from './launch.js';
import { machineInfo } from './machine.js';
import { measureRow } from './measure.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { planRun, rowKey, type PlannedInstance } from './plan.js';
import type { BenchRow, BenchRun } from './results.js';
import { SCENARIOS } from './scenarios.js';
import { SERVER_NAMES } from './servers.js';
import { allTables, renderText } from './table.js';
import { createError } from '../src/errors.js';

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

let current: RunningServer | undefined;

/** Other processes using more than this many cores during a row make it a re-run. */
const NOISY_CORES = 0.25;
/** Re-runs allowed in one bench run, so a busy machine cannot stretch it without bound. */
let retriesLeft = 15;

/** Compiles modpy into dist/ (bin/modpy.js runs dist/cli/main.js). Returns a problem, if any. */
function buildModpy(): string | undefined {
  log('building modpy (npm run build)');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_DIR, encoding: 'utf8' });
  if (r.status === 0) return undefined;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(0, 5).join('\n');
  log(`build failed (dist/ may be stale or missing):\n${out}`);
  return `npm run build failed: ${out}`;
}

function oneLine(reason: string, max = 400): string {
  const s = reason.replace(/\s*\n\s*/g, ' | ');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

async function runInstance(p: PlannedInstance, work: string, opts: BenchOptions, buildProblem?: string): Promise<BenchRow[]> {
  const { instance, rows } = p;
  const failAll = (reason: string): BenchRow[] => rows.map((r) => ({ server: r.server, scenario: r.scenario, connections: r.connections, status: 'failed', reason }));
  log(`== ${instance.id}: starting (${rows.length} rows)`);
  const dir = join(work, instance.id);
  try {
    current = await launch(instance, dir, rows[0]?.path ?? '/');
  } catch (err) {
    let reason = (err as Error).message;
    if (instance.launch.kind === 'modpy' && buildProblem) reason += ` (and ${buildProblem})`;
    log(`${instance.id} ${reason}`);
    return failAll(oneLine(reason));
  }
  const server = current;
  const out: BenchRow[] = [];
  const checked = new Map<string, string[] | Error>(); // per endpoint: the cookies, or why it is wrong
  try {
    // Every endpoint is checked on the fresh server, before any load: this also loads each
    // handler once, and a later row's check cannot be spoiled by what an earlier load left.
    for (const r of rows) {
      const key = `${r.server} ${r.scenario}`;
      if (!checked.has(key)) checked.set(key, await checkEndpoint(SCENARIOS[r.scenario], server.baseUrl + r.path).catch((e: unknown) => e as Error));
    }
    for (const r of rows) {
      const scenario = SCENARIOS[r.scenario];
      const url = server.baseUrl + r.path;
      const check = checked.get(`${r.server} ${r.scenario}`);
      if (check instanceof Error) {
        log(`${rowKey(r)}: ${check.message}`);
        out.push({ server: r.server, scenario: r.scenario, connections: r.connections, status: 'failed', reason: oneLine(check.message) });
        continue;
      }
      const load = {
        server: r.server, scenario: r.scenario, url, connections: r.connections, postBytes: scenario.postBytes,
        cookies: check ?? [], warmupSeconds: opts.warmupSeconds, durationSeconds: opts.durationSeconds, rootPid: server.pid,
      };
      let row = await measureRow(load);
      // The machine is shared: when something else took CPU during the row, measure it again
      // (at most twice, full mode only: --quick stays quick) and keep the quietest attempt.
      const retries = opts.mode === 'full' ? 3 : 1;
      for (let attempt = 2; attempt <= retries && (row.otherCpuCores ?? 0) > NOISY_CORES && retriesLeft > 0; attempt++) {
        retriesLeft--;
        log(`${rowKey(r)}: ${row.otherCpuCores?.toFixed(2)} cores busy elsewhere, measuring again (attempt ${attempt})`);
        const again = await measureRow(load);
        if (again.status === 'ok' && (again.otherCpuCores ?? 0) < (row.otherCpuCores ?? 0)) row = again;
      }
      log(row.status === 'ok'
        ? `${rowKey(r)}: ${Math.round(row.rps ?? 0)} req/s, p50 ${row.p50Ms?.toFixed(2)} ms, p99 ${row.p99Ms?.toFixed(2)} ms, ${Math.round(row.cpuUsPerRequest ?? 0)} µs CPU/req, PSS ${Math.round(row.pssMiB ?? 0)} MiB, errors ${row.errors}, other load ${row.otherCpuCores?.toFixed(2)} cores`
        : `${rowKey(r)}: ${row.reason}`);
      out.push(row);
    }
  } finally {
    const killed = await server.stop();
    current = undefined;
    if (killed.length > 0) log(`${instance.id}: had to SIGKILL ${killed.join(' ')}`);
    log(`${instance.id}: stopped`);
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const opts = parseOptions(argv, join(BENCH_DIR, 'results', 'latest.json'));
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const plan = planRun(opts.mode, opts.only);
  if (plan.length === 0) throw createError('BENCH_BAD_OPTION', `--only=${opts.only?.source} matches no row (keys look like "modpy/hello/c32")`);
  ensurePeers(log);
  const buildProblem = opts.build && plan.some((p) => p.instance.launch.kind === 'modpy') ? buildModpy() : undefined;
  const work = mkdtempSync(join(tmpdir(), 'modpy-bench-'));
  chmodSync(work, 0o755); // Apache's children (www-data) read their config dir below it
  log(`${opts.mode} run: ${plan.reduce((n, p) => n + p.rows.length, 0)} rows, ${opts.warmupSeconds} s warm-up + ${opts.durationSeconds} s each; scratch ${work}`);
  const started = new Date();
  const rows: BenchRow[] = [];
  for (const p of plan) rows.push(...(await runInstance(p, work, opts, buildProblem)));
  const servers = Object.fromEntries([...new Set(rows.map((r) => r.server))].map((id) => [id, SERVER_NAMES[id] ?? id]));
  const run: BenchRun = {
    date: started.toISOString(),
    mode: opts.mode,
    ...(opts.only ? { only: opts.only.source } : {}),
    warmupSeconds: opts.warmupSeconds,
    durationSeconds: opts.durationSeconds,
    machine: machineInfo(REPO_DIR),
    servers,
    rows,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(run, null, 2)}\n`);
  rmSync(work, { recursive: true, force: true });
  console.log(allTables(run).map(renderText).join('\n\n'));
  console.log(`\nresults: ${opts.out} (docs: node --import tsx bench/report.ts)`);
  return 0;
}

async function stopCurrentAndExit(code: number): Promise<void> {
  const s = current;
  current = undefined;
  if (s) await s.stop().catch(() => undefined);
  process.exit(code);
}
process.once('SIGINT', () => void stopCurrentAndExit(130));
process.once('SIGTERM', () => void stopCurrentAndExit(143));

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  async (err: unknown) => {
    console.error(err instanceof Error ? `${(err as { code?: string }).code ?? 'error'}: ${err.message}` : err);
    const s = current;
    current = undefined;
    if (s) await s.stop().catch(() => undefined);
    process.exitCode = 1;
  },
);
