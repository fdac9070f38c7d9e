/**
 * @module ipc/messages — every JSON control message between the server and a Python worker,
 * as one discriminated union per direction (docs/protocol.md explains each one). Raw bytes never
 * travel in these: they go in BODY/FILTER data frames, and a request's end is an END frame
 * (see frames.ts).
 */
import type { HandlerEntry } from '../config/types.js';
import type { ConnectionHead, PhaseCall, PhaseResult, RequestHead, ResponseHead, ServerInfo, WorkerInit } from '../workers/types.js';

/** 4: take_socket's answer travels with the lent socket (docs/protocol.md "Direct writes");
 *  3: request.begin's head is a positional array (HEAD_FIELDS); 2 sent it as an object. */
export const PROTOCOL_VERSION = 4;

/** A value sent before in a `ref.define` (see workers/ref-table.ts). */
export type Ref = number;

/**
 * The order of RequestHead's fields in request.begin's `head`, which travels as the array of
 * their values: without the ~20 keys a hello's head is stringified in 0.8 µs instead of 1.3, and
 * Python's json.loads of the message takes 1.6 µs instead of 2.8. Python reads the same order from
 * `HEAD_FIELDS` in python/mod_python/_worker/wire_head.py (test/unit/ipc/head-fields.test.ts
 * compares the two). The last two are set only for an internal redirect / a subrequest: the
 * array stops before them when they are unset, and `prev_rid` is null when only `main_rid` is set.
 */
export const HEAD_FIELDS = [
  'the_request',
  'method',
  'method_number',
  'protocol',
  'proto_num',
  'unparsed_uri',
  'hostname',
  'request_time',
  'headers_in',
  'header_only',
  'expecting_100',
  'clength_in',
  'read_chunked',
  'parsed_uri',
  'range',
  'document_root',
  'is_https',
  'keepalives',
  'connection',
  'server',
  'prev_rid',
  'main_rid',
] as const;

/** A head field's value as it travels: the server and the connection by reference. */
type WireHeadValues = Omit<Required<RequestHead>, 'server' | 'connection'> & { server: Ref; connection: Ref };
type ValuesOf<K extends readonly (keyof WireHeadValues)[]> = { -readonly [I in keyof K]: WireHeadValues[K[I]] };
type Always = typeof HEAD_FIELDS extends readonly [...infer L extends (keyof WireHeadValues)[], 'prev_rid', 'main_rid'] ? L : never;

/** RequestHead as it travels: its values in HEAD_FIELDS order, the optional tail left off. */
export type WireRequestHead = [...ValuesOf<Always>, prev_rid?: number | null, main_rid?: number];

/** PhaseCall as it travels: a frozen handler list and frozen per-directory tables by reference. */
export type WirePhaseCall = Omit<PhaseCall, 'hlist' | 'sync'> & {
  hlist: PhaseCall['hlist'] | Ref;
  sync: Omit<PhaseCall['sync'], 'config' | 'options'> & { config?: Record<string, string> | Ref; options?: Record<string, string> | Ref };
};

// --- server → worker -------------------------------------------------------------------------

export type ToWorker =
  | { type: 'worker.init'; init: WorkerInit & { interpreter: string } }
  /** Opens request `rid`; `parent` is set for a child request (internal redirect) that the
   *  worker must serve while `parent` waits in a call. */
  | {
      type: 'request.begin';
      rid: number;
      head: WireRequestHead;
      deadlineMs: number;
      parent?: number;
      /** The request's first phase, run right after begin_request (saves a message). */
      call?: WirePhaseCall;
    }
  /** End of the request body (after zero or more BODY frames). */
  | { type: 'body.end'; rid: number }
  | { type: 'phase.run'; rid: number; call: WirePhaseCall }
  /** A value later messages name by number (ref-table.ts). */
  | { type: 'ref.define'; ref: Ref; value: unknown }
  /** Runs output filter `name` over the FILTER frame sent just before (absent when `eos`). */
  | { type: 'filter.run'; rid: number; name: string; eos: boolean }
  | {
      type: 'conn.begin';
      cid: number;
      handler: HandlerEntry;
      conn: ConnectionHead & { keepalives: number };
      server: ServerInfo;
      deadlineMs: number;
    }
  | { type: 'call.result'; id: number; ok: true; value: unknown }
  | { type: 'call.result'; id: number; ok: false; error: string }
  /** Everything sent for `rid` before the worker's response.drain has reached the client. */
  | { type: 'response.drained'; rid: number }
  | { type: 'worker.exit' };

// --- worker → server -------------------------------------------------------------------------

export type FromWorker =
  | { type: 'worker.ready'; pid: number; executable: string; resolved: string; version: string; protocol: number }
  | { type: 'worker.initialized' }
  | { type: 'response.head'; rid: number; head: ResponseHead }
  | { type: 'response.flush'; rid: number }
  /** The worker has more than its window of unacknowledged body bytes out and waits. */
  | { type: 'response.drain'; rid: number }
  | { type: 'body.read'; rid: number; max: number }
  /** The worker is done with the client socket lent by `take_socket`: it wrote `bytes` body
   *  bytes, `wire` bytes in all (head and chunk framing included); `complete` false means the
   *  write broke off (the connection must be closed). */
  | { type: 'response.written'; rid: number; bytes: number; wire: number; complete: boolean }
  | { type: 'phase.done'; rid: number; result: PhaseResult }
  | { type: 'phase.error'; rid: number; reason: 'timeout' | 'exception'; message: string }
  | { type: 'filter.done'; rid: number }
  | { type: 'filter.error'; rid: number; reason: 'timeout' | 'exception' }
  | { type: 'conn.done'; cid: number; result: number }
  | { type: 'conn.error'; cid: number; reason: 'timeout' | 'exception' }
  /** `id` 0: a notification — the server sends no call.result and logs a failure. */
  | { type: 'call'; id: number; rid: number | null; method: string; args: Record<string, unknown> }
  | { type: 'log'; level: number; message: string; rid: number | null; scope: 'request' | 'server' | 'connection' }
  | { type: 'worker.exited' };

export type FromWorkerType = FromWorker['type'];

const FROM_WORKER_TYPES: ReadonlySet<string> = new Set<FromWorkerType>([
  'worker.ready',
  'worker.initialized',
  'response.head',
  'response.flush',
  'response.drain',
  'body.read',
  'response.written',
  'phase.done',
  'phase.error',
  'filter.done',
  'filter.error',
  'conn.done',
  'conn.error',
  'call',
  'log',
  'worker.exited',
]);

/** Narrows a parsed JSON value to a worker message; the fields are trusted after the type. */
export function isFromWorker(value: unknown): value is FromWorker {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    FROM_WORKER_TYPES.has((value as { type: string }).type)
  );
}
