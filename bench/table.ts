/**
 * @module bench/table — the run as tables (main comparison, scaling, connection curve,
 * targets, failures), rendered as aligned text for the terminal or as Markdown for the docs.
 */
import { CURVE_CONNECTIONS } from './plan.js';
import { reasonKind, type BenchRow, type BenchRun } from './results.js';
import { SCENARIO_ORDER } from './scenarios.js';
import { rowServerName, SERVER_NAMES } from './servers.js';
import { evaluateTargets, ratioOf, SUBJECT, targetForRow } from './targets.js';

export interface Table {
  title: string;
  headers: string[];
  /** Right-aligned columns (numbers). */
  numeric: boolean[];
  rows: string[][];
}

const SCALING_SERVERS = ['modpy-w1', 'modpy-w2', 'modpy-w4', 'modpy'];
const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined ? '-' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function nameOf(run: BenchRun, id: string): string {
  return run.servers[id] ?? SERVER_NAMES[id] ?? id;
}

function measuredCells(r: BenchRow): string[] {
  // the full reason is in the "Rows without numbers" table; here only its kind
  if (r.status !== 'ok') return [reasonKind(r.reason), '', '', '', '', '', ''];
  return [fmt(r.rps), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2), fmt(r.cpuUsPerRequest), fmt(r.pssMiB), fmt(r.errors), fmt(r.otherCpuCores, 2)];
}

/** "other cores": CPU used by neither the server nor wrk during the row (a noisy neighbour). */
const MEASURED_HEADERS = ['req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'PSS MiB', 'errors', 'other cores'];

/** Every scenario at c1 and c32: modpy first, then each peer with modpy ÷ peer and its target. */
export function mainTable(run: BenchRun): Table {
  const rows: string[][] = [];
  for (const scenario of SCENARIO_ORDER) {
    for (const connections of [1, 32]) {
      const group = run.rows.filter((r) => r.scenario === scenario && r.connections === connections && !SCALING_SERVERS.slice(0, 3).includes(r.server));
      group.sort((a, b) => Number(b.server === SUBJECT) - Number(a.server === SUBJECT));
      for (const r of group) {
        const ratio = r.server === SUBJECT ? undefined : ratioOf(run.rows, scenario, connections, r.server);
        const target = targetForRow(r);
        const verdict = target === undefined ? '' : ratio === undefined ? 'n/a' : ratio >= target.min ? 'PASS' : 'MISS';
        rows.push([
          scenario, `c${connections}`, rowServerName(run.servers, r.server, scenario), ...measuredCells(r),
          ratio === undefined ? '' : `${ratio.toFixed(2)}x`, target ? `≥ ${target.min}x` : '', verdict,
        ]);
      }
    }
  }
  return {
    title: 'modpy beside its peers (one run; ratio = modpy req/s ÷ that row\'s req/s)',
    headers: ['scenario', 'conns', 'server', ...MEASURED_HEADERS, 'modpy/peer', 'target', 'verdict'],
    numeric: [false, false, false, true, true, true, true, true, true, true, true, true, false],
    rows,
  };
}

/** hello with a fixed pool of 1, 2 and 4 workers (ModpyPoolDefaults processes=N). */
export function scalingTable(run: BenchRun): Table {
  const rows: string[][] = [];
  for (const server of SCALING_SERVERS) {
    for (const connections of [1, 32]) {
      const r = run.rows.find((x) => x.server === server && x.scenario === 'hello' && x.connections === connections);
      if (r) rows.push([nameOf(run, server), `c${connections}`, ...measuredCells(r)]);
    }
  }
  return { title: 'modpy scaling with workers (hello)', headers: ['server', 'conns', ...MEASURED_HEADERS], numeric: [false, false, true, true, true, true, true, true, true], rows };
}

/** hello throughput and p99 as connections grow. */
export function curveTable(run: BenchRun): Table {
  const servers = [...new Set(run.rows.filter((r) => r.scenario === 'hello' && (r.connections === 8 || r.connections === 128)).map((r) => r.server))];
  const rows = servers.map((server) => [
    nameOf(run, server),
    ...CURVE_CONNECTIONS.map((c) => {
      const r = run.rows.find((x) => x.server === server && x.scenario === 'hello' && x.connections === c);
      return r?.status === 'ok' ? `${fmt(r.rps)} / ${fmt(r.p99Ms, 2)}` : r ? 'failed' : '-';
    }),
  ]);
  return {
    title: 'hello as connections grow: req/s / p99 ms',
    headers: ['server', ...CURVE_CONNECTIONS.map((c) => `c${c}`)],
    numeric: [false, ...CURVE_CONNECTIONS.map(() => true)],
    rows,
  };
}

/** Where modpy's CPU goes per request: the Node front against the Python workers. */
/** A row's CPU per request by process, most first: "node 37, python3 24" ('' without a split). */
export function cpuSplitText(row: BenchRow): string {
  return Object.entries(row.cpuUsPerRequestByCommand ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([c, us]) => `${c} ${Math.round(us)}`)
    .join(', ');
}

export function cpuSplitTable(run: BenchRun): Table {
  const rows = run.rows
    .filter((r) => r.server === SUBJECT && r.status === 'ok' && r.cpuUsPerRequestByCommand)
    .map((r) => [
      r.scenario, `c${r.connections}`, fmt(r.cpuUsPerRequest),
      cpuSplitText(r),
      fmt(r.wrkCpuUsPerRequest),
    ]);
  return { title: 'modpy CPU µs per request, by process', headers: ['scenario', 'conns', 'total', 'by process', 'wrk'], numeric: [false, false, true, false, true], rows };
}

export function targetsTable(run: BenchRun): Table {
  const results = evaluateTargets(run.rows, (id) => nameOf(run, id));
  return { title: 'Targets (issue 6)', headers: ['target', 'measured', 'verdict'], numeric: [false, true, false], rows: results.map((t) => [t.description, t.value, t.verdict]) };
}

export function failuresTable(run: BenchRun): Table {
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (const r of run.rows) {
    if (r.status === 'ok') continue;
    const key = `${r.server}|${r.reason}`;
    if (seen.has(key)) continue; // a server that did not start fails every row the same way
    seen.add(key);
    rows.push([nameOf(run, r.server), r.reason ?? 'failed']);
  }
  return { title: 'Rows without numbers', headers: ['server', 'reason'], numeric: [false, false], rows };
}

export function allTables(run: BenchRun): Table[] {
  return [mainTable(run), scalingTable(run), curveTable(run), cpuSplitTable(run), targetsTable(run), failuresTable(run)].filter((t) => t.rows.length > 0);
}

export function renderText(t: Table): string {
  const width = t.headers.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (t.numeric[i] ? c.padStart(width[i] ?? 0) : c.padEnd(width[i] ?? 0))).join('  ').trimEnd();
  return [`== ${t.title}`, line(t.headers), ...t.rows.map(line)].join('\n');
}

export function renderMarkdown(t: Table): string {
  const esc = (c: string): string => c.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    `| ${t.headers.join(' | ')} |`,
    `|${t.numeric.map((n) => (n ? '---:' : '---')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
