/**
 * @module workers/wire — RequestHead and PhaseCall in the form they travel to a worker
 * (docs/protocol.md): the server, the connection and frozen per-directory values by reference
 * (ref-table.ts).
 *
 * The head is copied field by field into an object literal on purpose: an object made by rest
 * spread ({ server, ...rest }) has a shape V8 cannot serialize on its fast path, and encoding
 * request.begin then costs twice as much. test/unit/workers/wire.test.ts checks that every
 * RequestHead field is carried.
 */
import type { WirePhaseCall, WireRequestHead } from '../ipc/messages.js';
import type { PhaseCall, RequestHead } from './types.js';

/** `ref` names a value already defined for the worker (or defines it now). */
export type RefOf = (value: object) => number;

export function wireHead(h: RequestHead, refOf: RefOf): WireRequestHead {
  const wire: WireRequestHead = {
    the_request: h.the_request,
    method: h.method,
    method_number: h.method_number,
    protocol: h.protocol,
    proto_num: h.proto_num,
    unparsed_uri: h.unparsed_uri,
    hostname: h.hostname,
    request_time: h.request_time,
    headers_in: h.headers_in,
    header_only: h.header_only,
    expecting_100: h.expecting_100,
    clength_in: h.clength_in,
    read_chunked: h.read_chunked,
    parsed_uri: h.parsed_uri,
    range: h.range,
    document_root: h.document_root,
    is_https: h.is_https,
    keepalives: h.keepalives,
    connection: refOf(h.connection),
    server: refOf(h.server),
  };
  if (h.prev_rid !== undefined) wire.prev_rid = h.prev_rid;
  if (h.main_rid !== undefined) wire.main_rid = h.main_rid;
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
