/**
 * @module pipeline/access-logging — fills one AccessEntry per exchange (first record for %r and
 * %<s, last record for the final status, user and handler) and hands it to every CustomLog of
 * the server.
 */
import type { AccessEntry } from '../logs/access-entry.js';
import type { RequestRecord } from './request-record.js';
import { splitQuery } from './request-target.js';

function pairsToRecord(pairs: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/** Bytes this exchange moved: the connection's counters since the last exchange on it ended,
 *  plus what workers wrote on it directly. Taken for every exchange, logged or not. */
function ioOf(first: RequestRecord): { bytesIn: number; bytesOut: number } {
  const ex = first.ex;
  const conn = ex.conn;
  const read = ex.req.socket?.bytesRead ?? 0;
  const written = ex.req.socket?.bytesWritten ?? 0;
  const counted = conn.counted;
  const io = { bytesIn: read - counted.read, bytesOut: written - counted.written + ex.channel.lentWireBytes };
  counted.read = read;
  counted.written = written;
  return io;
}

export function writeAccessLog(first: RequestRecord, last: RequestRecord): void {
  const io = ioOf(first);
  const logs = last.server.accessLogs;
  if (logs.length === 0) return;
  const ex = first.ex;
  const channel = ex.channel;
  let env: Record<string, string> | undefined;
  let notes: Record<string, string> | undefined;
  const entry: AccessEntry = {
    remoteAddr: ex.conn.clientIp,
    remotePort: ex.conn.clientPort,
    localAddr: ex.conn.localIp,
    localPort: ex.conn.localPort,
    remoteUser: last.s.user ?? first.s.user,
    requestLine: ex.theRequest,
    method: first.method,
    uri: first.s.uri,
    query: splitQuery(first.unparsedUri).query ?? '',
    protocol: `HTTP/${ex.req.httpVersion}`,
    status: channel.status,
    originalStatus: first === last ? channel.status : (first.s.status !== 200 ? first.s.status : channel.status),
    bytesSent: channel.bytesSent,
    bytesIn: io.bytesIn,
    bytesOut: io.bytesOut,
    requestHeaders: ex.req.headers,
    responseHeaders: channel.headers,
    startTime: ex.startMs,
    durationUs: Number((process.hrtime.bigint() - ex.startHr) / 1000n),
    serverName: last.server.info.server_hostname,
    canonicalPort: last.server.namedPort ?? ex.conn.localPort,
    filename: last.s.filename,
    // Built on first use: only %{VAR}e, %{NAME}n and env= conditions read them.
    get env() {
      return (env ??= pairsToRecord(last.s.subprocess_env));
    },
    get notes() {
      return (notes ??= pairsToRecord(last.s.notes));
    },
    pid: process.pid,
    connectionId: ex.conn.id,
    keepAliveCount: ex.conn.served,
    handler: last.s.handler,
    connectionStatus: channel.closed && !channel.ended ? 'X' : channel.res.shouldKeepAlive ? '+' : '-',
  };
  for (const log of logs) log.write(entry);
}
