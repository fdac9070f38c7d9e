/**
 * @module logs/error-log — the error log in Apache 2.4's default line format:
 * `[Wed Nov 25 00:41:02.123456 2026] [mod_python:error] [pid 1234:tid 5678] [client 127.0.0.1:54321] AH01234: message`
 * with LogLevel filtering (global and per module).
 */
import { errorLogTime } from './apache-time.js';
import { levelName, normaliseModule, parseLogLevel, type LogLevelSetting } from './log-level.js';
import { openLogSink, type LogSink } from './log-sink.js';

export { parseLogLevel } from './log-level.js';

export interface ErrorLogMeta {
  /** Module tag printed as "[module:level]"; default "core". */
  module?: string;
  /** "ip:port" of the client, printed as "[client …]". */
  client?: string;
  pid?: number;
  tid?: number;
  /** "AH01234" or modpy's "MPY0001": printed before the message, as Apache's APLOGNO. */
  aplogno?: string;
  /** Appended as ", referer: …" as Apache does for request-scoped messages. */
  referer?: string;
  /** The caller already applied a per-directory LogLevel: skip the server's level check. */
  always?: boolean;
}

export interface ErrorLogLine extends ErrorLogMeta {
  /** Microseconds since the epoch. */
  timeUs: number;
  level: number;
  message: string;
}

/**
 * Control characters would let one message fake further log lines (a traceback's newlines, a
 * header value): they are written as \n, \r, \t or \xhh so one call is always one line.
 */
function escapeMessage(message: string): string {
  return message.replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** One error-log line (with its newline), in Apache 2.4's default ErrorLogFormat. */
export function formatErrorLogLine(line: ErrorLogLine): string {
  const module = line.module ?? 'core';
  const pid = line.pid ?? process.pid;
  const tid = line.tid ?? pid;
  let text = `[${errorLogTime(line.timeUs)}] [${module}:${levelName(line.level)}] [pid ${pid}:tid ${tid}] `;
  if (line.client) text += `[client ${line.client}] `;
  if (line.aplogno) text += `${line.aplogno}: `;
  text += escapeMessage(line.message);
  if (line.referer) text += `, referer: ${escapeMessage(line.referer)}`;
  return `${text}\n`;
}

/** Microseconds since the epoch with sub-millisecond precision from the monotonic clock. */
const originUs = Date.now() * 1000 - Math.round(performance.now() * 1000);
function nowUs(): number {
  return originUs + Math.round(performance.now() * 1000);
}

export class ErrorLog {
  private constructor(
    private readonly sink: LogSink,
    private readonly setting: LogLevelSetting,
  ) {}

  /**
   * Opens the error log.
   * @param target absolute path, "stderr", "stdout" or "|command"; "syslog" is rejected.
   * @param level a LogLevel value, e.g. "warn" or "info mod_python:debug".
   * @throws MPY_ERR_LOG_BAD_LEVEL, MPY_ERR_LOG_BAD_TARGET, MPY_ERR_LOG_OPEN_FAILED
   */
  static open(target: string, level: string): ErrorLog {
    const setting = parseLogLevel(level);
    return new ErrorLog(openLogSink(target), setting);
  }

  /** True when a message of `level` from `module` passes LogLevel (check before costly formatting). */
  enabled(level: number, module?: string): boolean {
    if (module !== undefined) {
      const override = this.setting.modules[normaliseModule(module)];
      if (override !== undefined) return level <= override;
    }
    return level <= this.setting.level;
  }

  /** Logs `message` at APLOG `level` (0..7, trace1..8 = 8..15) if LogLevel lets it through. */
  log(level: number, message: string, meta: ErrorLogMeta = {}): void {
    if (meta.always !== true && !this.enabled(level, meta.module ?? 'core')) return;
    this.sink.write(formatErrorLogLine({ ...meta, timeUs: nowUs(), level, message }));
  }

  /** Re-opens the target (log rotation). */
  reopen(): void {
    this.sink.reopen();
  }

  /** Writes out everything logged so far and closes the target. */
  close(): Promise<void> {
    return this.sink.close();
  }
}
