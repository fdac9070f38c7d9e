/**
 * @module logs/access-log — one CustomLog: a compiled LogFormat, an optional env=[!]VAR
 * condition and a buffered target. Also the public entry point for AccessEntry and
 * compileLogFormat.
 */
import type { CustomLogSpec } from '../config/types.js';
import type { AccessEntry } from './access-entry.js';
import { compileLogFormat } from './log-format.js';
import { openLogSink, type LogSink } from './log-sink.js';

export type { AccessEntry } from './access-entry.js';
export { compileLogFormat } from './log-format.js';

/** The formats Apache's stock configuration defines; handy defaults for LogFormat nicknames. */
export const STANDARD_FORMATS: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
  referer: '%{Referer}i -> %U',
  agent: '%{User-agent}i',
};

export class AccessLog {
  private constructor(
    private readonly sink: LogSink,
    private readonly format: (e: AccessEntry) => string,
    private readonly condition: CustomLogSpec['condition'],
  ) {}

  /**
   * Opens a CustomLog. The format is compiled here, once.
   * @throws MPY_ERR_LOG_BAD_FORMAT, MPY_ERR_LOG_BAD_TARGET, MPY_ERR_LOG_OPEN_FAILED
   */
  static open(spec: CustomLogSpec): AccessLog {
    const format = compileLogFormat(spec.format);
    return new AccessLog(openLogSink(spec.target), format, spec.condition);
  }

  /** Logs one finished request (buffered; written within the current event-loop turn). */
  write(e: AccessEntry): void {
    if (this.condition) {
      const set = e.env[this.condition.env] !== undefined;
      if (set === this.condition.negated) return;
    }
    this.sink.write(`${this.format(e)}\n`);
  }

  reopen(): void {
    this.sink.reopen();
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}
