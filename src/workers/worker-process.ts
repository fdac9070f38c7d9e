/**
 * @module workers/worker-process — one Python worker OS process and its framed link.
 *
 * Spawns `python -m mod_python._worker.main` with stdio ['ignore', 'pipe', 'pipe', 'pipe', 'ipc']:
 * fd 3 is the protocol socketpair, fd 4 Node's IPC channel (used only to pass a client socket for
 * a direct write), fd 1/2 are the handler's stdout/stderr, logged line by line (as Apache shows a
 * child's stderr), so a handler that prints cannot corrupt the protocol. Knows nothing about
 * requests: it moves frames, passes sockets, reads RSS and reports the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server, Socket } from 'node:net';
import { dataHeader, encodeJson, endFrame, FrameDecoder, FrameError, type DataKind } from '../ipc/frames.js';
import { isFromWorker, type FromWorker, type ToWorker } from '../ipc/messages.js';
import { noteReadBytes } from '../read-buffer-gc.js';

/** The server's error log. `aplogno` is the stable message id (MPY00nn) when there is one. */
export type LogFn = (level: number, message: string, meta?: { module?: string; pid?: number; aplogno?: string }) => void;

export const APLOG_ERR = 3;
export const APLOG_WARNING = 4;
export const APLOG_NOTICE = 5;
export const APLOG_INFO = 6;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not run at all (e.g. ENOENT for the executable). */
  spawnError?: Error;
  /** Set when the link broke (bad frame) and the process was killed for it. */
  protocolError?: Error;
}

export interface WorkerProcessEvents {
  message(msg: FromWorker): void;
  data(kind: DataKind, id: number, piece: Buffer): void;
  end(id: number): void;
  exit(info: ExitInfo): void;
}

export interface SpawnOptions {
  python: string;
  packageDir: string;
  env: Record<string, string>;
  log: LogFn;
}

let scoreboardSeq = 0;

/** How long a lazy message waits for company before it is sent alone. */
const LAZY_MS = 1;

function scoreboardDir(): string {
  try {
    const probe = join('/dev/shm', `.modpy-probe-${process.pid}`);
    closeSync(openSync(probe, 'w'));
    unlinkSync(probe);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}
const SCOREBOARD_DIR = scoreboardDir();

export class WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly #socket: Socket;
  readonly #events: WorkerProcessEvents;
  readonly #scoreboard: string;
  // Kept open: the file is unlinked as soon as the worker has mapped it (at worker.ready), so
  // nothing is left in /dev/shm even if this process is killed.
  readonly #scoreFd: number;
  #scoreLinked = true;
  #corked = false;
  #exited = false;
  #lazy: Buffer[] = [];
  #lazyTimer: NodeJS.Timeout | null = null;

  constructor(opts: SpawnOptions, events: WorkerProcessEvents) {
    this.#events = events;
    this.#scoreboard = join(SCOREBOARD_DIR, `modpy-${process.pid}-${++scoreboardSeq}.sb`);
    this.#scoreFd = openSync(this.#scoreboard, 'w+', 0o600);
    writeSync(this.#scoreFd, Buffer.alloc(8));
    const existing = opts.env.PYTHONPATH ?? process.env.PYTHONPATH;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...opts.env,
      PYTHONPATH: existing ? `${opts.packageDir}:${existing}` : opts.packageDir,
      MODPY_SCOREBOARD: this.#scoreboard,
    };
    this.child = spawn(opts.python, ['-m', 'mod_python._worker.main'], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'ipc'],
      env,
      // The IPC channel only ever carries NODE_HANDLE messages and their acknowledgements.
      serialization: 'json',
    });
    this.pid = this.child.pid ?? 0;
    this.#socket = this.child.stdio[3] as Socket;
    // A bad frame is the worker's fault (protocol error: it is killed); an exception thrown by
    // whoever handles a good message is the server's, and must not take the worker down.
    const report = (err: unknown): void => {
      opts.log(APLOG_ERR, `modpy: error while handling a message of worker ${this.pid}: ${(err as Error).stack ?? String(err)}`, {
        module: 'modpy',
        pid: this.pid,
      });
    };
    // try/catch written out at each call (no closure per frame: this runs for every frame).
    const decoder = new FrameDecoder({
      message: (value) => {
        if (!isFromWorker(value)) throw new FrameError(`unknown message ${JSON.stringify(value).slice(0, 200)}`);
        if (value.type === 'worker.ready') this.#unlinkScoreboard();
        try {
          events.message(value);
        } catch (err) {
          report(err);
        }
      },
      data: (kind, id, piece) => {
        try {
          events.data(kind, id, piece);
        } catch (err) {
          report(err);
        }
      },
      end: (id) => {
        try {
          events.end(id);
        } catch (err) {
          report(err);
        }
      },
    });
    let protocolError: Error | undefined;
    this.#socket.on('data', (chunk: Buffer) => {
      if (protocolError) return;
      noteReadBytes(chunk.length);
      try {
        decoder.push(chunk);
      } catch (err) {
        protocolError = err as Error;
        this.kill('SIGKILL');
      }
    });
    this.#socket.on('error', () => {
      // The process exit reports what happened; a reset socket adds nothing.
    });
    pipeLines(this.child.stdout, (line) => opts.log(APLOG_NOTICE, line, { module: 'python', pid: this.pid }));
    pipeLines(this.child.stderr, (line) => opts.log(APLOG_ERR, line, { module: 'python', pid: this.pid }));
    let spawnError: Error | undefined;
    this.child.on('error', (err) => {
      spawnError = err;
      if (this.child.pid === undefined) this.#finish({ code: null, signal: null, spawnError });
    });
    // 'close' (not 'exit'): every byte of stdout/stderr/fd 3 has been delivered by then.
    this.child.on('close', (code, signal) => this.#finish({ code, signal, spawnError, protocolError }));
  }

  get exited(): boolean {
    return this.#exited;
  }

  send(msg: ToWorker): void {
    this.#write(encodeJson(msg));
  }

  /**
   * Passes a client connection's socket to the worker for a direct write of request `rid`
   * (docs/protocol.md "Direct writes"). The raw libuv handle goes, not the net.Socket: Node sends
   * a raw handle as it is and keeps it open here, while a net.Socket would be detached from this
   * process and counted as handed over to the child by its server. Resolves false when the
   * channel could not take it (the worker is gone). `answer`: the take_socket call's answer,
   * which rides in the same message (the worker then wakes once, not for the socket and again
   * for the answer on fd 3).
   */
  sendSocket(rid: number, handle: object, answer: { id: number; value: unknown }): Promise<boolean> {
    return new Promise((resolve) => {
      // One lent socket per worker at a time. Node passes handles one by one, each after the
      // worker acknowledged the last; a request whose code runs nested inside another's wait
      // (a sibling begun without a phase) would wait for a handle queued behind one the outer
      // request has not collected yet. Refused, the write goes through frames.
      if (this.#exited || !this.child.connected || this.#socketLent) {
        resolve(false);
        return;
      }
      this.#socketLent = true;
      try {
        this.child.send({ rid, id: answer.id, value: answer.value }, handle as Server, (err) => {
          if (err) this.#socketLent = false;
          resolve(!err);
        });
      } catch {
        this.#socketLent = false;
        resolve(false);
      }
    });
  }

  /** What a stream's call() resolves with when it answered the call itself (sendSocket). */
  static readonly ANSWERED = Symbol('answered with the lent socket');

  /** The worker is done with the socket lent by sendSocket (it said so, or its request ended). */
  socketReturned(): void {
    this.#socketLent = false;
  }

  #socketLent = false;

  /**
   * The END frame of request `id`. Nobody waits for it urgently: it rides with the next write
   * to this worker, or leaves on its own after LAZY_MS. Under load that saves the worker a
   * wake-up per request; order with later messages is kept (lazy ones go first). When a write
   * is already under way in this turn (corked), the frame joins it at once: it leaves in the
   * same writev, in call order, and no timer is needed.
   */
  sendEndLazy(id: number): void {
    if (this.#exited) return;
    if (this.#corked) {
      this.#socket.write(endFrame(id));
      return;
    }
    this.#lazy.push(endFrame(id));
    this.#lazyTimer ??= setTimeout(this.#flushLazy, LAZY_MS);
  }

  readonly #flushLazy = (): void => {
    this.#lazyTimer = null;
    const lazy = this.#lazy;
    if (!lazy.length) return;
    this.#lazy = [];
    for (const buf of lazy) this.#write(buf);
  };

  sendData(kind: DataKind, id: number, data: Buffer): void {
    this.#write(dataHeader(kind, id, data.length));
    if (data.length) this.#write(data);
  }

  /**
   * Everything written during one turn of the event loop leaves in one writev: a request's
   * begin and its first phase are produced a few promise hops apart, and one write means one
   * wake-up of the worker instead of two (setImmediate runs after all of them; nextTick would not).
   */
  #write(buf: Buffer): void {
    if (this.#exited) return;
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      setImmediate(this.#uncork);
      if (this.#lazy.length) {
        if (this.#lazyTimer) clearTimeout(this.#lazyTimer);
        this.#flushLazy();
      }
    }
    this.#socket.write(buf);
  }

  readonly #uncork = (): void => {
    this.#corked = false;
    this.#socket.uncork();
  };

  /** Closing fd 3 is how a worker learns the server is gone (it exits at once). */
  closeLink(): void {
    this.#socket.end();
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.#exited && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Newest request whose code the worker has started (from the scoreboard page). */
  lastBegun(): number {
    try {
      const buf = Buffer.alloc(8);
      readSync(this.#scoreFd, buf, 0, 8, 0);
      return Number(buf.readBigUInt64BE(0));
    } catch {
      return 0;
    }
  }

  #unlinkScoreboard(): void {
    if (!this.#scoreLinked) return;
    this.#scoreLinked = false;
    try {
      unlinkSync(this.#scoreboard);
    } catch {
      // already gone
    }
  }

  /** Resident set size in KiB, or null when the process is gone. */
  rssKiB(): number | null {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'latin1');
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  }

  #finish(info: ExitInfo): void {
    if (this.#exited) return;
    // Read before removing: the pool needs to know which queued requests never began.
    const last = this.lastBegun();
    this.#exited = true;
    if (this.#lazyTimer) clearTimeout(this.#lazyTimer);
    this.#lastBegunAtExit = last;
    this.#unlinkScoreboard();
    try {
      closeSync(this.#scoreFd);
    } catch {
      // already closed
    }
    this.#events.exit(info);
  }

  #lastBegunAtExit = 0;
  get lastBegunAtExit(): number {
    return this.#lastBegunAtExit;
  }
}

function pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  stream.setEncoding('utf8');
  let partial = '';
  stream.on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  });
  stream.on('end', () => {
    if (partial) onLine(partial);
    partial = '';
  });
}
