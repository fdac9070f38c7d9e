/**
 * @module workers/wire — RequestHead and PhaseCall in the form they travel to a worker
 * (docs/protocol.md): the server, the connection and frozen per-directory values by reference
 * (ref-table.ts).
 *
 * The head travels as an array of its values in HEAD_FIELDS order (src/ipc/messages.ts), built
 * as one array literal: JSON.stringify of a flat array is about half the cost of the same
 * object, and a literal is cheaper than a loop over HEAD_FIELDS. test/unit/workers/wire.test.ts
 * checks that every RequestHead field is carried, at its position.
 */
import type { WirePhaseCall, WireRequestHead } from '../ipc/messages.js';
import type { PhaseCall, RequestHead } from './types.js';

/** `ref` names a value already defined for the worker (or defines it now). */
export type RefOf = (value: object) => number;

export function wireHead(h: RequestHead, refOf: RefOf): WireRequestHead {
  // In HEAD_FIELDS order (src/ipc/messages.ts), which the type checks field by field wherever
  // two neighbours differ in type; test/unit/workers/wire.test.ts checks every position.
  const wire: WireRequestHead = [
    h.the_request,
    h.method,
    h.method_number,
    h.protocol,
    h.proto_num,
    h.unparsed_uri,
    h.hostname,
    h.request_time,
    h.headers_in,
    h.header_only,
    h.expecting_100,
    h.clength_in,
    h.read_chunked,
    h.parsed_uri,
    h.range,
    h.document_root,
    h.is_https,
    h.keepalives,
    refOf(h.connection),
    refOf(h.server),
  ];
  if (h.main_rid !== undefined) wire.push(h.prev_rid ?? null, h.main_rid);
  else if (h.prev_rid !== undefined) wire.push(h.prev_rid);
  return wire;
}

/** A frozen handler list or per-directory table goes by reference; anything else inline. */
export function wireCall(call: PhaseCall, refOf: RefOf): WirePhaseCall {
  const { hlist, sync } = call;
  const config = sync.config;
  const options = sync.options;
  const refConfig = config !== undefined && Object.isFrozen(config);
  const refOptions = options !== undefined && Object.isFrozen(options);
  return {
    phase: call.phase,
    hlist: hlist.length > 0 && Object.isFrozen(hlist) ? refOf(hlist) : hlist,
    extension: call.extension,
    sync:
      refConfig || refOptions
        ? { ...sync, config: refConfig ? refOf(config) : config, options: refOptions ? refOf(options) : options }
        : sync,
  };
}
