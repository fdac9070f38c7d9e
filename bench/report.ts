/**
 * @module bench/report — writes docs/performance.md and docs/performance.svg from one run of
 * `npm run bench` (default bench/results/latest.json), and keeps that run as
 * bench/results/docs-run.json so the docs and their data stay together in git.
 * The hand-written reading of the numbers lives in bench/performance-notes.md.
 *   node --import tsx bench/report.ts [results.json]
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createError } from '../src/errors.js';
import { explainMisses } from './budget.js';
import { BENCH_DIR, REPO_DIR } from './launch.js';
import { reasonKind, type BenchRun } from './results.js';
import { SCENARIO_ORDER, SCENARIOS } from './scenarios.js';
import { rowServerName } from './servers.js';
import { barChartSvg, type Block } from './svg-chart.js';
import { cpuSplitTable, curveTable, failuresTable, mainTable, renderMarkdown, scalingTable, targetsTable, type Table } from './table.js';
import { NOISY_OTHER_CORES, SUBJECT } from './targets.js';
import { STEADY_WITHIN, steadinessLines } from './steadiness.js';

const SCALING = new Set(['modpy-w1', 'modpy-w2', 'modpy-w4']);

export function loadRun(file: string): BenchRun {
  let run: BenchRun;
  try {
    run = JSON.parse(readFileSync(file, 'utf8')) as BenchRun;
  } catch (err) {
    throw createError('BENCH_RESULTS', file, (err as Error).message);
  }
  if (!Array.isArray(run.rows) || typeof run.date !== 'string' || typeof run.machine !== 'object') {
    throw createError('BENCH_RESULTS', file, 'not the JSON npm run bench writes (rows, date, machine)');
  }
  return run;
}

/** Chart blocks: every scenario at c1 and c32, modpy first, measured rows only. */
export function chartBlocks(run: BenchRun): Block[] {
  const blocks: Block[] = [];
  for (const scenario of SCENARIO_ORDER) {
    const cells = [1, 32].map((c) => {
      // peers without numbers are left out; modpy without numbers is shown, with the reason's kind
      const rows = run.rows.filter((r) => r.scenario === scenario && r.connections === c && !SCALING.has(r.server) && (r.status === 'ok' || r.server === SUBJECT));
      rows.sort((a, b) => Number(b.server === SUBJECT) - Number(a.server === SUBJECT));
      const bars = rows.map((r) => ({
        label: rowServerName(run.servers, r.server, scenario),
        value: r.rps ?? 0,
        highlight: r.server === SUBJECT,
        ...(r.status === 'ok' ? {} : { note: `no numbers: ${reasonKind(r.reason)}` }),
      }));
      return { title: `${c} connection${c > 1 ? 's' : ''}`, bars };
    });
    if (cells.some((c) => c.bars.length > 0)) blocks.push({ title: `${scenario}: ${SCENARIOS[scenario].title}`, cells });
  }
  return blocks;
}

/** The steadiness check (bench/steadiness.ts) as Method bullets, when the run has both rows. */
function steadyBlock(run: BenchRun): string[] {
  const lines = steadinessLines(run);
  if (lines.length === 0) return [];
  return [
    '- Steadiness: the default pool and the "2 workers" row are the same server measured minutes apart; ' +
      'when they differ by more than ' + `${STEADY_WITHIN * 100} %` + ' the machine\'s speed moved during the run.',
    ...lines.map((l) => `  - ${l}`),
  ];
}

function section(t: Table): string {
  return `### ${t.title}\n\n${renderMarkdown(t)}\n`;
}

export function performanceMarkdown(run: BenchRun, notes: string): string {
  const m = run.machine;
  const misses = explainMisses(run);
  const versions = Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  const parts = [
    '# modpy performance',
    '',
    `Written by \`bench/report.ts\` from the \`npm run bench\` run of ${run.date.slice(0, 16).replace('T', ' ')} UTC ` +
      `(${run.mode} mode${run.only ? `, --only=${run.only}` : ''}: ${run.warmupSeconds} s warm-up + ${run.durationSeconds} s measured per row). ` +
      'Its data is `bench/results/docs-run.json`. Every ratio below is modpy ÷ peer within that one run.',
    '',
    '## Machine',
    '',
    `- ${m.cpus} CPU cores (${m.cpuModel}), ${Math.round(m.memoryMiB / 1024)} GiB RAM, ${m.os}, kernel ${m.kernel}`,
    `- ${versions}`,
    '- wrk runs on the same cores as the server (one wrk thread), so c32 numbers are "what fits in the machine minus wrk".',
    '',
    '## Method',
    '',
    '- Each server runs alone on 127.0.0.1 (own port, own scratch dir), is checked (status and body of every row), ' +
      'then per row: wrk warm-up, then `wrk -t1 -cN -dS --latency` with `bench/wrk/report.lua`; the server is stopped by pid ' +
      'and every process of its tree is verified gone.',
    '- CPU µs/req: utime+stime (+ reaped children) of the whole server process tree from /proc/PID/stat, before/after, ÷ requests.',
    '- PSS MiB: sum of Pss (/proc/PID/smaps_rollup) over the server\'s process tree right after the row\'s load.',
    '- Apache + mod_python and modpy read the same site config (`bench/conf/common.conf` + `site-modpython.conf`); no access logs anywhere; ' +
      '`PythonAutoReload Off`, `PythonDebug Off`. mod_wsgi runs in its own Apache (it cannot share one with mod_python).',
    '- The session row: 64 FileSessions created first, then wrk rotates through their cookies (read + write + save per request).',
    '- "other cores": CPU used by neither the server nor wrk during the row (other work on the machine). A target whose rows had ' +
      `more than ${NOISY_OTHER_CORES} such cores is marked "(noisy)": its ratio is not a clean measurement.`,
    ...steadyBlock(run),
    '',
    '![modpy against its peers](performance.svg)',
    '',
    '## Targets',
    '',
    renderMarkdown(targetsTable(run)),
    '',
    '## Where modpy loses',
    '',
    misses.length === 0
      ? 'Every target passed in this run.'
      : 'Under each miss, what meeting it would take, worked out from this run\'s rows (`bench/budget.ts`).\n\n' +
        misses.map(({ target: t, budget }) => [`- ${t.description}: ${t.value} (${t.verdict})`, ...budget.map((l) => `  - ${l}`)].join('\n')).join('\n'),
    '',
    notes.trim(),
    '',
    '## Results',
    '',
    ...[mainTable(run), scalingTable(run), curveTable(run), cpuSplitTable(run), failuresTable(run)].filter((t) => t.rows.length > 0).map(section),
    '## Re-running',
    '',
    '```',
    'npm run bench -- --quick          # about 2 minutes, a few rows',
    'npm run bench                     # every row',
    'npm run bench -- --only="^(modpy|mp-prefork)/hello/"',
    'node --import tsx bench/report.ts # this page, from bench/results/latest.json',
    '```',
    '',
  ];
  return parts.join('\n');
}

function main(argv: string[]): void {
  const latest = join(BENCH_DIR, 'results', 'latest.json');
  const kept = join(BENCH_DIR, 'results', 'docs-run.json');
  const file = resolve(argv[0] ?? (existsSync(latest) ? latest : kept));
  const run = loadRun(file);
  const notesFile = join(BENCH_DIR, 'performance-notes.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
  const subtitle = `req/s, one run of ${run.date.slice(0, 10)}, ${run.machine.cpus} cores; each block scaled to its fastest server; modpy in orange`;
  writeFileSync(join(REPO_DIR, 'docs', 'performance.svg'), barChartSvg('modpy beside Apache + mod_python, mod_wsgi, CGI and bare node', subtitle, chartBlocks(run)));
  writeFileSync(join(REPO_DIR, 'docs', 'performance.md'), performanceMarkdown(run, notes));
  if (file !== kept) copyFileSync(file, kept);
  console.log(`wrote docs/performance.md and docs/performance.svg from ${file}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(BENCH_DIR, 'report.ts')) main(process.argv.slice(2));
