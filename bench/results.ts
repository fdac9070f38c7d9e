/**
 * @module bench/results — the shape of one bench run, as printed and as saved to
 * bench/results/latest.json (bench/report.ts reads it back to write docs/performance.md).
 */

/** One (server, scenario, connections) measurement, or why there is none. */
export interface BenchRow {
  server: string; // a ServerSpec id: "modpy", "mp-prefork", "modpy-w2", …
  scenario: string; // a Scenario id: "hello", "publisher", …
  connections: number;
  status: 'ok' | 'failed';
  /** Why there are no numbers: "did not start: …", "wrong response: …", "wrk: …". */
  reason?: string;
  requests?: number;
  rps?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** CPU time of the whole server process tree (user+sys, incl. reaped children) per request. */
  cpuUsPerRequest?: number;
  /** The same split by process command name, e.g. {"node": 110, "python3": 70}. */
  cpuUsPerRequestByCommand?: Record<string, number>;
  /** PSS summed over the server's process tree right after this row's load. */
  pssMiB?: number;
  processes?: number;
  /** Socket errors and non-2xx/3xx answers during the measured run. */
  errors?: number;
  /** wrk's own CPU per request (it shares the machine with the server). */
  wrkCpuUsPerRequest?: number;
  /** Cores busy with anything but the server and wrk during the run: noise from elsewhere. */
  otherCpuCores?: number;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryMiB: number;
  kernel: string;
  os: string;
  versions: Record<string, string>;
}

export interface BenchRun {
  date: string; // ISO, UTC
  mode: 'quick' | 'full';
  only?: string;
  warmupSeconds: number;
  durationSeconds: number;
  machine: MachineInfo;
  /** Display names of the servers that appear in rows, by id. */
  servers: Record<string, string>;
  rows: BenchRow[];
}

/** The measured row for (server, scenario, connections), if it has numbers. */
export function findRow(rows: readonly BenchRow[], server: string, scenario: string, connections: number): BenchRow | undefined {
  return rows.find((r) => r.server === server && r.scenario === scenario && r.connections === connections && r.status === 'ok');
}

/** The short kind of a failure reason, for narrow cells: "did not start", "wrong response", … */
export function reasonKind(reason: string | undefined): string {
  const m = /^(did not start|wrong response|stalled|wrk)/.exec(reason ?? '');
  return m?.[1] ?? 'failed';
}
