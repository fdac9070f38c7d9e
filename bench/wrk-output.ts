/**
 * @module bench/wrk-output — reads the one RESULT line that wrk/report.lua prints at the end
 * of a wrk run (wrk's own text summary rounds latencies; the Lua hook has them in µs).
 */
import { createError } from '../src/errors.js';

export interface WrkResult {
  requests: number;
  durationUs: number;
  bytes: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  /** Socket errors plus non-2xx/3xx answers: a row with errors is not a clean measurement. */
  errors: number;
  requestsPerSecond: number;
}

type Field =
  | 'requests' | 'duration_us' | 'bytes' | 'p50_us' | 'p90_us' | 'p99_us' | 'max_us' | 'mean_us'
  | 'err_connect' | 'err_read' | 'err_write' | 'err_status' | 'err_timeout';

/** Parses wrk's output (everything it printed); throws MPY_ERR_BENCH_WRK_OUTPUT without a RESULT line. */
export function parseWrkOutput(output: string): WrkResult {
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw createError('BENCH_WRK_OUTPUT', 'no RESULT line', output.trim().slice(-300));
  const values = new Map<string, number>();
  for (const pair of line.slice('RESULT '.length).trim().split(/\s+/)) {
    const [key, raw] = pair.split('=');
    if (key !== undefined && raw !== undefined) values.set(key, Number(raw));
  }
  const get = (k: Field): number => {
    const v = values.get(k);
    if (v === undefined || !Number.isFinite(v)) throw createError('BENCH_WRK_OUTPUT', `field ${k} missing or not a number`, line);
    return v;
  };
  const durationUs = get('duration_us');
  const requests = get('requests');
  return {
    requests,
    durationUs,
    bytes: get('bytes'),
    p50Us: get('p50_us'),
    p90Us: get('p90_us'),
    p99Us: get('p99_us'),
    maxUs: get('max_us'),
    meanUs: get('mean_us'),
    errors: get('err_connect') + get('err_read') + get('err_write') + get('err_status') + get('err_timeout'),
    requestsPerSecond: durationUs > 0 ? requests / (durationUs / 1e6) : 0,
  };
}

/**
 * CPU seconds of the children of a shell, from the second line bash's `times` prints
 * ("0m1.250s 0m0.310s" = user, system). The bench runs wrk under bash to learn wrk's own CPU.
 */
export function parseBashTimes(output: string): number {
  const lines = output.trim().split('\n').filter((l) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(l.trim()));
  const children = lines[lines.length - 1];
  if (lines.length < 2 || children === undefined) throw createError('BENCH_WRK_OUTPUT', 'no `times` lines after wrk', output.slice(-200));
  return children.trim().split(' ').reduce((sum, t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return sum + (m ? Number(m[1]) * 60 + Number(m[2]) : 0);
  }, 0);
}
