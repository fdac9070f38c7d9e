/** @module compat/lib/free-port — ephemeral ports on 127.0.0.1, asked from the kernel. */
import { createServer, type Server } from 'node:net';

/** `n` distinct free ports (held open together so the kernel cannot hand out one twice). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<Server>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => resolve(srv));
    })),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    if (typeof a !== 'object' || !a) throw new Error('no port');
    return a.port;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
