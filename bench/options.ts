/**
 * @module bench/options — `npm run bench -- [options]`.
 */
import { createError } from '../src/errors.js';

export interface BenchOptions {
  mode: 'quick' | 'full';
  only?: RegExp;
  warmupSeconds: number;
  durationSeconds: number;
  /** Where the JSON results go. */
  out: string;
  /** Skip `npm run build` before starting modpy (use dist/ as it is). */
  build: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only=REGEX] [--duration=S] [--warmup=S] [--out=FILE] [--no-build]
  --quick        a few rows, short runs (about 2 minutes); default: every row (about 20 minutes)
  --only=REGEX   keep the rows whose key matches, keys look like "modpy/hello/c32", "mp-prefork/psp/c1"
  --duration=S   seconds of measured load per row (default 10, quick 3)
  --warmup=S     seconds of unmeasured load before each row (default 3, quick 2; prefork needs it to start its interpreters)
  --out=FILE     results JSON (default bench/results/latest.json)
  --no-build     do not run "npm run build" before starting modpy
Servers run one at a time on 127.0.0.1; wrk runs with one thread.`;

function seconds(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 120) throw createError('BENCH_BAD_OPTION', `--${name} must be a number of seconds in (0, 120], got "${raw}"`);
  return n;
}

export function parseOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  let mode: 'quick' | 'full' = 'full';
  let only: RegExp | undefined;
  let warmup: number | undefined;
  let duration: number | undefined;
  let out = defaultOut;
  let build = true;
  let help = false;
  for (const arg of argv) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? undefined : arg.slice(eq + 1);
    const needValue = (): string => {
      if (value === undefined || value === '') throw createError('BENCH_BAD_OPTION', `${name} needs a value: ${name}=…`);
      return value;
    };
    switch (name) {
      case '--quick': mode = 'quick'; break;
      case '--no-build': build = false; break;
      case '--help': case '-h': help = true; break;
      case '--only':
        try {
          only = new RegExp(needValue());
        } catch (err) {
          throw createError('BENCH_BAD_OPTION', `--only: ${(err as Error).message}`);
        }
        break;
      case '--duration': duration = seconds('duration', needValue()); break;
      case '--warmup': warmup = seconds('warmup', needValue()); break;
      case '--out': out = needValue(); break;
      default:
        throw createError('BENCH_BAD_OPTION', `unknown option "${arg}"\n${USAGE}`);
    }
  }
  return {
    mode,
    ...(only ? { only } : {}),
    warmupSeconds: warmup ?? (mode === 'quick' ? 2 : 3),
    durationSeconds: duration ?? (mode === 'quick' ? 3 : 10),
    out,
    build,
    help,
  };
}
