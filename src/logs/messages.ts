/**
 * @module logs/messages — modpy's operational log lines with stable ids (MPY0001 …), like
 * httpd's AH numbers: start-up, shutdown, reload, workers, deadlines, queues. Operators can grep
 * for an id and look it up in docs/log-messages.md (generated from this table).
 * Append new entries with the next id; never renumber or reuse one.
 */
import type { ErrorLog, ErrorLogMeta } from './error-log.js';
import { LEVEL_NAMES, type LevelName } from './log-level.js';

export interface MessageDef {
  id: string;
  severity: LevelName;
  /** Text with {name} placeholders, filled by logMessage. */
  message: string;
  cause: string;
  outcome: string;
  action: string;
}

function m(id: string, severity: LevelName, message: string, cause: string, outcome: string, action: string): MessageDef {
  return { id, severity, message, cause, outcome, action };
}

/** The table. Keep ids in order; the docs list them as written here. */
export const MESSAGES = {
  SERVER_STARTING: m('MPY0001', 'notice', 'modpy {version} starting (Node.js {node}, pid {pid}) with {config}', 'The server process started.', 'Configuration is loaded next.', 'None.'),
  SERVER_READY: m('MPY0002', 'notice', 'modpy {version} configured -- resuming normal operations; listening on {addresses}', 'Start-up finished: every Listen socket is bound.', 'Requests are served.', 'None.'),
  SERVER_STOPPING: m('MPY0003', 'notice', 'caught {signal}, shutting down', 'A stop signal (SIGTERM, SIGINT) or `modpy -k stop`.', 'Listeners close; in-flight requests may finish until the graceful timeout.', 'None.'),
  SERVER_STOPPED: m('MPY0004', 'notice', 'shutdown complete after {ms} ms', 'Graceful shutdown finished.', 'The process exits with status 0.', 'None.'),
  SHUTDOWN_TIMEOUT: m('MPY0005', 'warn', 'graceful shutdown timed out after {ms} ms; {requests} request(s) were cut off', 'Requests were still running when ModpyGracefulShutdownTimeout expired.', 'Those connections are closed and their workers killed.', 'Raise the timeout or find the slow handlers (the access log has %D).'),
  RELOAD_REQUESTED: m('MPY0006', 'notice', 'caught {signal}, reloading the configuration', 'SIGHUP (`modpy -k graceful` or `modpy -k restart`).', 'The configuration is re-read; workers are replaced after their current request.', 'None.'),
  RELOAD_DONE: m('MPY0007', 'notice', 'configuration reloaded from {config}', 'A reload succeeded.', 'New requests use the new configuration.', 'None.'),
  RELOAD_FAILED: m('MPY0008', 'error', 'configuration reload failed, keeping the running configuration: {error}', 'The new configuration has an error (the message names file and line).', 'The server keeps running with the previous configuration.', 'Fix the file and reload again; `modpy -t` checks it first.'),
  PYTHON_EXECUTABLE: m('MPY0009', 'notice', 'interpreter "{interpreter}" runs Python {pythonVersion} at {executable}', 'The first worker of an interpreter pool started.', 'Informational: says exactly which Python runs your code.', 'If it is not the Python you expect, set `ModpyPool <name> python=/path/to/python` (or ModpyPoolDefaults python=…).'),
  WORKER_STARTED: m('MPY0010', 'info', 'worker {pid} for interpreter "{interpreter}" ready in {ms} ms', 'A worker process started and answered its first ping.', 'It takes requests.', 'None.'),
  WORKER_START_FAILED: m('MPY0011', 'error', 'worker for interpreter "{interpreter}" failed to start: {reason}', 'The Python executable is missing, crashed during import of mod_python, or did not become ready within startup-timeout= (ModpyPool).', 'Requests for this interpreter wait, then get 503; the start is retried with back-off.', 'Check the executable path and the PythonImport modules (their traceback follows in the log).'),
  WORKER_EXITED: m('MPY0012', 'info', 'worker {pid} for interpreter "{interpreter}" exited with code {code}', 'A worker ended normally (recycled, idle, or shutdown).', 'A replacement starts when needed.', 'None.'),
  WORKER_CRASHED: m('MPY0013', 'error', 'worker {pid} for interpreter "{interpreter}" was killed by signal {signal} while serving {request}', 'The Python process died from a signal (a crash in a C extension, or an external kill).', 'The request in flight got 502; a new worker replaces it.', 'Look for a native crash (core dump, faulthandler output above); reproduce with the request shown.'),
  WORKER_OOM_KILLED: m('MPY0014', 'error', 'worker {pid} for interpreter "{interpreter}" was killed by the kernel OOM killer (last RSS {rssMiB} MiB) while serving {request}', 'The machine or cgroup ran out of memory and the kernel chose the worker.', 'The request in flight got 502; a new worker replaces it.', 'Lower max-memory= (ModpyPool) so workers recycle earlier, or find the request that allocates.'),
  WORKER_EXIT_CODE: m('MPY0015', 'error', 'worker {pid} for interpreter "{interpreter}" exited unexpectedly with code {code} while serving {request}', 'Handler code called sys.exit()/os._exit(), or the interpreter aborted.', 'The request in flight got 502; a new worker replaces it.', 'Remove the exit from the handler; check the traceback above.'),
  DEADLINE_HIT: m('MPY0016', 'error', 'request {request} exceeded its {ms} ms deadline in interpreter "{interpreter}" (worker {pid})', 'A handler ran longer than request-timeout= (ModpyPool).', 'The handler was interrupted with RequestTimeout; the client got 504.', 'Make the handler faster or raise request-timeout= for that interpreter.'),
  DEADLINE_KILL: m('MPY0017', 'error', 'worker {pid} did not stop within {graceMs} ms after the deadline; killed with SIGKILL', 'The handler ignored the RequestTimeout exception for grace= seconds (blocked in C code, or caught it).', 'The worker is replaced.', 'Do not catch BaseException broadly; avoid blocking calls without timeouts.'),
  WORKER_RECYCLED_REQUESTS: m('MPY0018', 'info', 'worker {pid} for interpreter "{interpreter}" recycled after {requests} requests', 'max-requests= (ModpyPool) reached.', 'The worker finishes and exits; a fresh one replaces it.', 'None.'),
  WORKER_RECYCLED_MEMORY: m('MPY0019', 'notice', 'worker {pid} for interpreter "{interpreter}" recycled: RSS {rssMiB} MiB is above the {limitMiB} MiB limit', 'The worker grew beyond max-memory= (ModpyPool).', 'It exits after its current request; a fresh one replaces it.', 'If frequent, look for a leak or raise the limit.'),
  WORKER_IDLE_STOPPED: m('MPY0020', 'debug', 'worker {pid} for interpreter "{interpreter}" stopped after {seconds} s idle', 'Fewer workers are needed than are running (idle-timeout= in ModpyPool).', 'The pool shrinks towards its minimum.', 'None.'),
  QUEUE_FULL: m('MPY0021', 'warn', 'interpreter "{interpreter}" queue is full ({queued} waiting, limit {limit}); answered 503', 'More requests arrived than the workers and queue can hold.', 'The request got 503 with Retry-After.', 'Raise processes= (its maximum) or queue= in ModpyPool, or make handlers faster.'),
  WORKER_RESTART_BACKOFF: m('MPY0022', 'warn', 'workers for interpreter "{interpreter}" keep failing ({failures} failures in {seconds} s); next start in {delayMs} ms', 'Workers die right after starting (import error, crash at start-up).', 'Starts are slowed down so the machine is not flooded.', 'Read the first WORKER_START_FAILED/crash message above and fix its cause.'),
  WORKER_PROTOCOL_ERROR: m('MPY0023', 'error', 'worker {pid} for interpreter "{interpreter}" broke the protocol: {reason}; it was stopped', 'Something wrote to the worker\'s private channel (fd 3), or a modpy bug.', 'The request in flight got 502; the worker is replaced.', 'Report it with the message; do not write to file descriptor 3 in handlers.'),
  LOGS_REOPENED: m('MPY0026', 'notice', 'log files reopened after {signal}', 'A log-rotation signal (SIGUSR2) was received.', 'New lines go to the files named in the configuration.', 'None.'),
  LISTEN_FAILED: m('MPY0027', 'emerg', 'could not bind to {address}: {reason}', 'Another process holds the port, the address is not local, or a port below 1024 needs privileges.', 'The server does not start (exit status 1).', 'Free the port or change Listen.'),
  CLIENT_ABORTED: m('MPY0028', 'info', 'client went away while {request} was being sent ({bytes} bytes sent)', 'The client closed the connection before the response ended.', 'The handler\'s next write raises IOError; the request is logged with %X = X.', 'None, unless it is frequent for one URL (then the response may be too slow).'),
} as const satisfies Record<string, MessageDef>;

export type MessageName = keyof typeof MESSAGES;

/** The {placeholders} of a template string, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** The values a message needs, checked against its template at compile time. */
export type MessageParams<K extends MessageName> = Record<Placeholders<(typeof MESSAGES)[K]['message']>, string | number>;

/** Fills `{name}` placeholders; a missing value shows as "-" rather than breaking the line. */
export function formatMessage(name: MessageName, params: Readonly<Record<string, string | number | undefined>>): string {
  return MESSAGES[name].message.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = params[key];
    return v === undefined ? '-' : String(v);
  });
}

/** APLOG number of a message's severity. */
export function messageLevel(name: MessageName): number {
  return (LEVEL_NAMES as readonly string[]).indexOf(MESSAGES[name].severity);
}

/**
 * Logs a table message with its id, at its severity, tagged module "modpy" by default.
 * @example logMessage(errorLog, 'WORKER_CRASHED', { pid: 4242, interpreter: 'main', signal: 'SIGSEGV', request: 'GET /x' })
 */
export function logMessage<K extends MessageName>(log: ErrorLog, name: K, params: MessageParams<K>, meta: Omit<ErrorLogMeta, 'aplogno'> = {}): void {
  const level = messageLevel(name);
  const module = meta.module ?? 'modpy';
  if (!log.enabled(level, module)) return;
  log.log(level, formatMessage(name, params as Record<string, string | number>), { ...meta, module, aplogno: MESSAGES[name].id });
}
