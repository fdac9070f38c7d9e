/**
 * @module http/connection-listener — PythonConnectionHandler: connections to a (virtual) server
 * that has one are not parsed as HTTP; the handler gets the raw stream through
 * PythonGateway.serveConnection (conn.read / readline / write in Python), as mod_python's
 * process_connection hook does. The server is the one the local address and port select
 * (no Host header exists yet), and the interpreter is chosen the usual way for it.
 */
import type { Socket } from 'node:net';
import { APLOG } from '../logs/log-level.js';
import { selectInterpreterName, selectVirtualHost } from '../pipeline/config-api.js';
import { connectionHead, type ConnectionInfo } from '../pipeline/request-record.js';
import type { ServerContext, Site } from '../pipeline/site.js';
import type { ConnectionHost } from '../workers/types.js';

/** True when some server of the configuration has a PythonConnectionHandler. */
export function hasConnectionHandlers(site: Site): boolean {
  return [site.cfg.main, ...site.cfg.vhosts].some((s) => s.pythonConnectionHandler !== undefined);
}

/** The server whose PythonConnectionHandler takes connections on this local address, if any. */
export function connectionHandlerServer(site: Site, localIp: string, localPort: number): ServerContext | null {
  const conf = selectVirtualHost(site.cfg, localIp, localPort, undefined);
  return conf.pythonConnectionHandler ? site.context(conf) : null;
}

/** Reads from a paused socket on demand; null at end of stream. */
function socketReader(socket: Socket, timeoutMs: number): (max: number) => Promise<Buffer | null> {
  let ended = false;
  socket.once('end', () => (ended = true));
  return (max) => {
    const take = (): Buffer | null => {
      const chunk = socket.read() as Buffer | null;
      if (chunk && max > 0 && chunk.length > max) {
        socket.unshift(chunk.subarray(max));
        return chunk.subarray(0, max);
      }
      return chunk;
    };
    const now = take();
    if (now) return Promise.resolve(now);
    if (ended || socket.destroyed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (v: Buffer | null) => {
        clearTimeout(timer);
        socket.off('readable', onReadable);
        socket.off('end', onEnd);
        socket.off('close', onEnd);
        resolve(v);
      };
      const onReadable = () => {
        const c = take();
        if (c) done(c);
      };
      const onEnd = () => done(null);
      // A silent client ends the read like EOF after Timeout, as Apache's socket timeout does.
      const timer = setTimeout(() => done(null), timeoutMs);
      socket.on('readable', onReadable);
      socket.once('end', onEnd);
      socket.once('close', onEnd);
    });
  };
}

/** Hands one accepted connection to the server's PythonConnectionHandler. */
export async function serveConnection(site: Site, ctx: ServerContext, socket: Socket, conn: ConnectionInfo): Promise<void> {
  const entry = ctx.conf.pythonConnectionHandler;
  if (!entry) return;
  const client = `${conn.clientIp}:${conn.clientPort}`;
  // A client that hangs up makes writes fail (EPIPE/ECONNRESET): that ends this connection,
  // never the server (an 'error' without a listener would be thrown).
  socket.on('error', (err) => ctx.errorLog.log(APLOG.DEBUG, `connection error: ${err.message}`, { module: 'python', client }));
  const host: ConnectionHost = {
    read: socketReader(socket, ctx.info.timeout * 1000),
    // Writes to a client that has gone are dropped, as a write to a closed socket would be:
    // the handler finds out at its next read (EOF), the server never fails.
    write: (chunk) =>
      new Promise((resolve) => {
        if (socket.destroyed || !socket.writable) return resolve();
        socket.write(chunk, () => resolve());
      }),
    log: (level, message) => ctx.errorLog.log(level, message, { module: 'python', client }),
  };
  const interpreter = selectInterpreterName(ctx.conf.dirDefaults, ctx.conf, null, entry);
  try {
    const result = await site.gateway.serveConnection(
      interpreter,
      site.poolSettings(interpreter),
      entry,
      { ...connectionHead(conn), keepalives: 0 },
      ctx.info,
      host,
    );
    if (result !== 0) ctx.errorLog.log(APLOG.DEBUG, `PythonConnectionHandler ${entry.handler} returned ${result}`, { module: 'python', client });
  } catch (err) {
    ctx.errorLog.log(APLOG.ERR, `PythonConnectionHandler ${entry.handler}: ${err instanceof Error ? err.message : String(err)}`, { module: 'python', client });
  } finally {
    socket.end();
  }
}
