/**
 * @module logs/log-sink — where log lines go: an appended file, a piped logger ("|command"),
 * stdout or stderr. Lines written in one event-loop turn are joined and handed to the stream
 * once (setImmediate), so a busy server makes one write per turn, never one per request, and
 * close() resolves only after every accepted line reached the OS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createError } from '../errors.js';

export interface LogSink {
  /** Queues text (one or more complete lines); never blocks, never throws. */
  write(text: string): void;
  /** Re-opens the file (log rotation). Restarts a piped logger. No-op for stdout/stderr. */
  reopen(): void;
  /** Flushes everything queued and releases the target. */
  close(): Promise<void>;
}

/** A piped logger that dies is restarted, but not faster than this (Apache does the same). */
const PIPE_RESTART_DELAY_MS = 1000;

export interface LogSinkOptions {
  /** Minimum lifetime before a dead piped logger is restarted (default 1000 ms); tests shorten it. */
  pipeRestartDelayMs?: number;
}

/** Reports a failing log target once, on the process's stderr: the log itself is unusable. */
function reportOnce(target: string): (err: Error) => void {
  let reported = false;
  return (err) => {
    if (reported) return;
    reported = true;
    process.stderr.write(`modpy: writing to log ${target} failed: ${err.message}\n`);
  };
}

function endStream(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableFinished || stream.destroyed) {
      resolve();
      return;
    }
    stream.once('error', () => resolve());
    stream.end(() => resolve());
  });
}

/** Collects text per event-loop turn; subclasses say how one joined chunk is written. */
abstract class BatchingSink implements LogSink {
  private pending: string[] = [];
  private scheduled = false;
  protected closed = false;

  write(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  protected flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join('');
    this.pending = [];
    this.send(chunk);
  }

  protected abstract send(chunk: string): void;
  abstract reopen(): void;
  protected abstract release(): Promise<void>;

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await this.release();
  }
}

class FileSink extends BatchingSink {
  private stream: fs.WriteStream;
  private readonly onError: (err: Error) => void;

  constructor(private readonly file: string) {
    super();
    this.onError = reportOnce(file);
    this.stream = this.openStream();
  }

  /** Opened synchronously so a bad path fails at start-up with a clear error, not later. */
  private openStream(): fs.WriteStream {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'a', 0o644);
    } catch (err) {
      throw createError('LOG_OPEN_FAILED', this.file, (err as Error).message);
    }
    const stream = fs.createWriteStream(this.file, { fd, flags: 'a' });
    stream.on('error', this.onError);
    return stream;
  }

  protected send(chunk: string): void {
    this.stream.write(chunk);
  }

  reopen(): void {
    if (this.closed) return;
    this.flush();
    const old = this.stream;
    this.stream = this.openStream();
    void endStream(old);
  }

  protected release(): Promise<void> {
    return endStream(this.stream);
  }
}

class PipeSink extends BatchingSink {
  private child: ChildProcess | null = null;
  private startedAt = 0;
  private backlog: string[] = [];
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly onError: (err: Error) => void;

  constructor(
    private readonly command: string,
    private readonly direct: boolean,
    private readonly restartDelayMs: number,
  ) {
    super();
    this.onError = reportOnce(`|${command}`);
    this.start();
  }

  /** "||cmd args" runs cmd directly; "|cmd" through /bin/sh, as Apache 2.4 does. */
  private start(): void {
    const [file, ...args] = this.direct ? this.command.split(/\s+/) : ['/bin/sh', '-c', this.command];
    const child = spawn(file as string, args, { stdio: ['pipe', 'inherit', 'inherit'] });
    this.child = child;
    this.startedAt = Date.now();
    child.on('error', this.onError);
    child.stdin?.on('error', this.onError);
    child.on('exit', () => {
      if (this.child !== child) return;
      this.child = null;
      if (this.closed) return;
      const wait = Math.max(0, this.restartDelayMs - (Date.now() - this.startedAt));
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (this.closed) return;
        this.start();
        const queued = this.backlog.join('');
        this.backlog = [];
        if (queued !== '') this.send(queued);
      }, wait);
      this.restartTimer.unref();
    });
  }

  protected send(chunk: string): void {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) {
      this.backlog.push(chunk); // kept for the restarted logger
      return;
    }
    stdin.write(chunk);
  }

  reopen(): void {
    // A piped logger rotates by itself; reopen means "restart it" (e.g. after it was replaced).
    if (this.closed) return;
    this.flush();
    this.child?.stdin?.end();
  }

  protected async release(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (!this.child && this.backlog.length > 0) {
      // The logger died and its restart was still pending: start it once more for the backlog.
      this.start();
      const queued = this.backlog.join('');
      this.backlog = [];
      this.send(queued);
    }
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    if (child.stdin) await endStream(child.stdin);
    const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
    await exited;
    clearTimeout(timer);
  }
}

class StdSink extends BatchingSink {
  constructor(private readonly stream: NodeJS.WriteStream) {
    super();
  }

  protected send(chunk: string): void {
    this.stream.write(chunk);
  }

  reopen(): void {}

  protected release(): Promise<void> {
    // Never end the process's stdout/stderr: wait until what we queued was written.
    return new Promise((resolve) => {
      this.stream.write('', () => resolve());
    });
  }
}

/**
 * Opens a log target as ErrorLog/CustomLog name it.
 * @throws MPY_ERR_LOG_BAD_TARGET for syslog, relative paths and empty commands;
 *         MPY_ERR_LOG_OPEN_FAILED when a file cannot be opened.
 */
export function openLogSink(target: string, options: LogSinkOptions = {}): LogSink {
  if (target === 'stderr') return new StdSink(process.stderr);
  if (target === 'stdout') return new StdSink(process.stdout);
  if (target.startsWith('|')) {
    const direct = target.startsWith('||');
    const command = target.slice(direct ? 2 : target.startsWith('|$') ? 2 : 1).trim();
    if (command === '') throw createError('LOG_BAD_TARGET', target, 'the pipe has no command');
    return new PipeSink(command, direct, options.pipeRestartDelayMs ?? PIPE_RESTART_DELAY_MS);
  }
  if (target === 'syslog' || target.startsWith('syslog:')) {
    throw createError('LOG_BAD_TARGET', target, 'syslog is not available; use a file, stderr or a piped logger such as "|logger -t modpy"');
  }
  if (!path.isAbsolute(target)) {
    throw createError('LOG_BAD_TARGET', target, 'the path must be absolute (resolve it against ServerRoot first)');
  }
  return new FileSink(target);
}
