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
import { explainMisses } from './budget.js';
import { ensurePeers } from './install.js';
import { BENCH_DIR, REPO_DIR, type RunningServer } from './launch.js';
import { machineInfo } from './machine.js';
import { parseOptions, USAGE } from './options.js';
import { planRun } from './plan.js';
import type { BenchRow, BenchRun } from './results.js';
import { runInstance } from './run-instance.js';
import { SERVER_NAMES } from './servers.js';
import { allTables, renderText } from './table.js';
import { steadinessLines } from './steadiness.js';
import { createError } from '../src/errors.js';

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

let current: RunningServer | undefined;

/** Compiles modpy into dist/ (bin/modpy.js runs dist/cli/main.js). Returns a problem, if any. */
function buildModpy(): string | undefined {
  log('building modpy (npm run build)');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_DIR, encoding: 'utf8' });
  if (r.status === 0) return undefined;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(0, 5).join('\n');
  log(`build failed (dist/ may be stale or missing):\n${out}`);
  return `npm run build failed: ${out}`;
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
  const ctx = {
    work, opts, log,
    retries: { left: 15 }, // noise re-runs for the whole run, so a busy machine cannot stretch it without bound
    ...(buildProblem ? { buildProblem } : {}),
    onServer: (srv: RunningServer | undefined): void => {
      current = srv;
    },
  };
  for (const p of plan) rows.push(...(await runInstance(p, ctx)));
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
  const budgets = explainMisses(run).map(({ target: t, budget }) => [`${t.description}: ${t.value} (${t.verdict})`, ...budget.map((l) => `  ${l}`)].join('\n'));
  if (budgets.length) console.log(`\n== What each miss would take (bench/budget.ts)\n${budgets.join('\n')}`);
  const steady = steadinessLines(run);
  if (steady.length) console.log(`\n== Steadiness (two identical modpy rows, minutes apart)\n${steady.join('\n')}`);
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
