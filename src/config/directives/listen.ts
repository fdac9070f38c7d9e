/**
 * @module config/directives/listen — `[addr:]port` and `[v6addr]:port` as Listen and
 * <VirtualHost> write them.
 */
import type { ListenSpec } from '../types.js';
import { type ApplyContext, fail } from './spec.js';

/** Splits "addr:port" forms; `port` is null when none is written (or `*`). */
export function splitHostPort(text: string): { address: string | null; port: number | null } | null {
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (v6) {
    host = v6[1] as string;
    port = v6[2];
  } else if (/^\d+$/.test(text)) {
    return { address: null, port: Number(text) };
  } else {
    const i = text.lastIndexOf(':');
    if (i >= 0 && text.indexOf(':') === i) {
      host = text.slice(0, i);
      port = text.slice(i + 1);
    } else host = text;
  }
  if (port !== undefined && port !== '*' && !/^\d+$/.test(port)) return null;
  const p = port === undefined || port === '*' ? null : Number(port);
  if (p !== null && (p < 1 || p > 65535)) return null;
  const address = host === '*' || host === '_default_' || host === '' ? null : host.toLowerCase();
  return { address, port: p };
}

export function parseListen(text: string, protocol: string | undefined, ctx: ApplyContext): ListenSpec {
  const hp = splitHostPort(text);
  if (!hp) fail(ctx, `Invalid address or port in Listen ${text}`);
  if (hp.port === null) fail(ctx, 'Port must be specified');
  const spec: ListenSpec = { address: hp.address, port: hp.port, source: ctx.source };
  if (protocol !== undefined) spec.protocol = protocol.toLowerCase();
  return spec;
}
