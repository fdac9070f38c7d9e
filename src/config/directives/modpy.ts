/**
 * @module config/directives/modpy — modpy's own directives: Python worker pools per
 * interpreter name (ModpyPool), their defaults (ModpyPoolDefaults) and the shutdown grace.
 */
import type { PoolSettings } from '../types.js';
import { type ApplyContext, type DirectiveSpec, SERVER, fail, parseGracefulShutdownMs, parseSecondsMs } from './spec.js';

const KEYS = 'python, processes, idle-timeout, max-requests, max-requests-jitter, max-memory, request-timeout, grace, startup-timeout, queue, pipeline, direct-write, spin, env';

/** A spin longer than this is a worker that never sleeps under light load. */
const MAX_SPIN_US = 10_000;

function count(ctx: ApplyContext, key: string, v: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min) fail(ctx, `${key} must be an integer >= ${min}, got '${v}'`);
  return Number(v);
}

/** Parses `key=value …` pool settings (unknown keys and bad values are errors). */
export function parsePoolSettings(words: string[], ctx: ApplyContext): Partial<PoolSettings> {
  const out: Partial<PoolSettings> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) fail(ctx, `expected key=value, got '${w}' (keys: ${KEYS})`);
    const key = w.slice(0, eq).toLowerCase();
    const v = w.slice(eq + 1);
    switch (key) {
      case 'python':
        if (v === '') fail(ctx, 'python= needs an executable');
        out.python = v;
        break;
      case 'processes': {
        const m = /^(\d+)(?:-(\d+))?$/.exec(v);
        if (!m) return fail(ctx, `processes must be N or MIN-MAX, got '${v}'`);
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : Number(m[2]);
        if (max < 1 || min > max) fail(ctx, `processes must have 0 <= MIN <= MAX and MAX >= 1, got '${v}'`);
        out.minProcesses = min;
        out.maxProcesses = max;
        break;
      }
      case 'idle-timeout':
        out.idleTimeoutMs = parseSecondsMs(key, v, ctx);
        break;
      case 'max-requests':
        out.maxRequests = count(ctx, key, v, 0);
        break;
      case 'max-requests-jitter':
        out.maxRequestsJitter = count(ctx, key, v, 0);
        break;
      case 'max-memory':
        out.maxMemoryMiB = count(ctx, key, v, 0);
        break;
      case 'request-timeout':
        out.requestTimeoutMs = parseSecondsMs(key, v, ctx);
        break;
      case 'grace':
        out.graceMs = parseSecondsMs(key, v, ctx);
        break;
      case 'startup-timeout':
        out.startupTimeoutMs = parseSecondsMs(key, v, ctx);
        break;
      case 'queue':
        out.queueLimit = count(ctx, key, v, 0);
        break;
      case 'pipeline':
        out.pipeline = count(ctx, key, v, 1);
        break;
      case 'direct-write':
        out.directWriteMin = count(ctx, key, v, 0);
        break;
      case 'spin':
        out.spinUs = count(ctx, key, v, 0);
        if (out.spinUs > MAX_SPIN_US) fail(ctx, `spin must be at most ${MAX_SPIN_US} (µs), got '${v}'`);
        break;
      case 'env': {
        const e = v.indexOf('=');
        if (e <= 0) fail(ctx, `env= must be env=NAME=VALUE, got '${w}'`);
        out.env = { ...out.env, [v.slice(0, e)]: v.slice(e + 1) };
        break;
      }
      default:
        fail(ctx, `unknown pool setting '${key}' (keys: ${KEYS})`);
    }
  }
  return out;
}

function overlay(base: Partial<PoolSettings> | undefined, add: Partial<PoolSettings>): Partial<PoolSettings> {
  const merged: Partial<PoolSettings> = { ...base, ...add };
  if (base?.env || add.env) merged.env = { ...base?.env, ...add.env };
  return merged;
}

export const modpyDirectives: DirectiveSpec[] = [
  {
    name: 'ModpyPoolDefaults',
    module: 'modpy',
    args: 'raw',
    contexts: SERVER,
    syntax: `ModpyPoolDefaults key=value ...  (keys: ${KEYS})`,
    default: 'python=$MODPY_PYTHON or python3, processes=2, idle-timeout=300, max-requests=0, max-requests-jitter=0, max-memory=0, request-timeout=300, grace=5, startup-timeout=30, queue=1024, pipeline=8, direct-write=262144, spin=0',
    help: 'settings for every Python worker pool unless its ModpyPool says otherwise',
    note:
      'python: the interpreter or a virtualenv\'s bin/python (the error log names the one started). ' +
      'processes: a count, or MIN-MAX to grow under load and shrink after idle-timeout seconds. ' +
      'request-timeout seconds: then RequestTimeout is raised in the handler, and grace seconds later the worker is killed (504). ' +
      'max-requests (+ a random 0..max-requests-jitter) and max-memory MiB of RSS: the worker is replaced, a new one ready first. ' +
      'startup-timeout seconds for a new worker to report ready. queue: requests that may wait for a worker (then 503 with Retry-After). ' +
      'pipeline: requests handed to one worker at a time — it takes the next one without a round trip, and a batch of small ' +
      'responses leaves in one write; the least-loaded worker gets each request, so a slow request delays only those queued behind it in its worker. ' +
      'direct-write bytes: a req.write (or req.sendfile) at least this large goes from the worker straight to the client\'s socket, ' +
      'which the server lends it (one copy instead of three, sendfile(2) for files; not for HEAD, Range, TLS or Python output filters); 0 turns it off. ' +
      'spin µs (0-10000, off by default): a worker that has answered everything polls for the next request that long before it sleeps, ' +
      'so a request that comes soon does not pay for waking it (on the 2-core bench VM, 200 µs took hello at 1 connection from 5.0-6.0k to 7.1-7.4k req/s) ' +
      'but each idle moment burns up to that much CPU (~115 µs per request there; at 32 connections on those 2 cores it cost 30 % of the throughput): ' +
      'for latency-bound sites with light load and cores to spare. ' +
      'env=NAME=VALUE (repeatable): added to the workers\' environment.',
    apply(t, args, ctx) {
      if (args.length === 0) fail(ctx, 'ModpyPoolDefaults requires at least one key=value');
      t.global.poolDefaults = overlay(t.global.poolDefaults, parsePoolSettings(args, ctx));
    },
  },
  {
    name: 'ModpyPool',
    module: 'modpy',
    args: 'raw',
    contexts: SERVER,
    syntax: 'ModpyPool interpreter-name key=value ...',
    default: '—',
    help: 'settings for the worker pool of one interpreter name (e.g. a ServerName, main_interpreter, or a PythonInterpreter name)',
    apply(t, args, ctx) {
      const [name, ...rest] = args;
      if (name === undefined || name.includes('=')) return fail(ctx, 'ModpyPool requires an interpreter name, then key=value settings');
      t.global.pools[name] = overlay(t.global.pools[name], parsePoolSettings(rest, ctx));
    },
  },
  {
    name: 'ModpyGracefulShutdownTimeout',
    module: 'modpy',
    args: 'take1',
    contexts: SERVER,
    syntax: 'ModpyGracefulShutdownTimeout seconds',
    default: 'ModpyGracefulShutdownTimeout 30',
    help: 'how long a graceful stop waits for in-flight requests before killing workers (0 = no limit; httpd GracefulShutdownTimeout sets the same value)',
    apply(t, args, ctx) {
      t.global.gracefulShutdownTimeoutMs = parseGracefulShutdownMs('ModpyGracefulShutdownTimeout', args[0] as string, ctx);
    },
  },
];
