/**
 * @module workers/pool-log — the pool's operational log lines, from the stable message table
 * (src/logs/messages.ts, ids MPY00nn). The id travels in `meta.aplogno`, so the error log
 * prints it where httpd prints its AH numbers.
 */
import { formatMessage, MESSAGES, messageLevel, type MessageName, type MessageParams } from '../logs/messages.js';
import type { ExitInfo, LogFn } from './worker-process.js';

export class PoolLog {
  constructor(
    private readonly log: LogFn,
    private readonly interpreter: string,
  ) {}

  /** A table message, plus optional detail the template has no room for. */
  line<K extends MessageName>(name: K, params: Omit<MessageParams<K>, 'interpreter'>, pid?: number, detail = ''): void {
    const text = formatMessage(name, { ...params, interpreter: this.interpreter } as Record<string, string | number>);
    this.log(messageLevel(name), detail ? `${text}${detail}` : text, { module: 'modpy', pid, aplogno: MESSAGES[name].id });
  }

  /**
   * An unexpected worker death, in plain words, naming what it was running: crash by signal,
   * likely OOM kill, exit status, protocol breach, deadline kill, or failed start.
   */
  death(opts: {
    pid: number;
    info: ExitInfo;
    initialized: boolean;
    deadlineKill: boolean;
    graceMs: number;
    startFailure: string;
    likelyOom: boolean;
    rssMiB: number;
    running: string[];
    failed: number;
    moved: number;
  }): void {
    const { pid, info } = opts;
    const request = opts.running.length ? opts.running.join(', ') : 'no request';
    let detail = '';
    if (opts.failed) detail += `; ${opts.failed} request(s) it had begun failed (502/504)`;
    if (opts.moved) detail += `; ${opts.moved} queued request(s) it never began were moved to another worker`;
    if (opts.deadlineKill) {
      this.line('DEADLINE_KILL', { pid, graceMs: opts.graceMs }, pid, ` (was running ${request})${detail}`);
    } else if (info.protocolError) {
      this.line('WORKER_PROTOCOL_ERROR', { pid, reason: info.protocolError.message }, pid, detail);
    } else if (!opts.initialized) {
      this.line('WORKER_START_FAILED', { reason: opts.startFailure }, pid, detail);
    } else if (info.signal === 'SIGKILL' && opts.likelyOom) {
      this.line('WORKER_OOM_KILLED', { pid, rssMiB: opts.rssMiB, request }, pid, detail);
    } else if (info.signal) {
      this.line('WORKER_CRASHED', { pid, signal: info.signal, request }, pid, detail);
    } else {
      this.line('WORKER_EXIT_CODE', { pid, code: info.code ?? 'unknown', request }, pid, detail);
    }
  }
}
