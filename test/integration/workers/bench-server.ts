/**
 * A minimal node:http front end on the gateway, to measure the bridge alone with wrk:
 *   PORT=18100 WORKERS=2 node --import tsx test/integration/workers/bench-server.ts
 *   wrk -t2 -c32 -d5s http://127.0.0.1:18100/hello
 * Endpoints come from the fixture dispatch: GET /hello, POST /echo, GET /big (1 MiB).
 * Not a test: the pipeline's real RequestHost lives in src/pipeline; this one is the least a
 * server must do, so the numbers are the bridge's cost.
 */
import http from 'node:http';
import { ServiceRegistry } from '../../../src/services/registry.js';
import { createGateway } from '../../../src/workers/gateway.js';
import type { RequestHost, ResponseHead } from '../../../src/workers/types.js';
import { HANDLER_CALL, INIT, PACKAGE_DIR, makeHead, poolSettings } from './harness.js';

const port = Number(process.env.PORT ?? 18100);
const workers = Number(process.env.WORKERS ?? 2);
const settings = poolSettings({
  python: process.env.PYTHON ?? '/usr/bin/python3',
  minProcesses: workers,
  maxProcesses: workers,
  pipeline: Number(process.env.PIPELINE ?? 4),
  queueLimit: 10_000,
});
const gateway = createGateway({
  packageDir: PACKAGE_DIR,
  log: (level, message) => {
    if (level <= Number(process.env.LOGLEVEL ?? 4)) process.stderr.write(`${message}\n`);
  },
  services: new ServiceRegistry(),
  init: INIT,
});

const TIMING = process.env.TIMING === '1';
const timing: number[][] = [];

class HttpHost implements RequestHost {
  #body: Buffer[];
  constructor(
    private readonly res: http.ServerResponse,
    body: Buffer[],
  ) {
    this.#body = body;
  }
  readBody(max: number): Promise<Buffer | null> {
    const next = this.#body.shift();
    if (!next) return Promise.resolve(null);
    if (next.length > max) {
      this.#body.unshift(next.subarray(max));
      return Promise.resolve(next.subarray(0, max));
    }
    return Promise.resolve(next);
  }
  startResponse(head: ResponseHead): void {
    this.res.statusCode = head.status;
    if (head.content_type) this.res.setHeader('Content-Type', head.content_type);
    if (head.content_length !== null) this.res.setHeader('Content-Length', head.content_length);
  }
  writeBody(chunk: Buffer): Promise<void> {
    if (this.res.destroyed) return Promise.reject(new Error('client gone'));
    if (this.res.write(chunk)) return Promise.resolve();
    // 'drain' never comes once the client has gone: 'close' ends the wait too.
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  sendFile(): Promise<number> {
    return Promise.reject(new Error('not in the bench'));
  }
  /** The bench measures the frame path: no socket is lent. */
  takeSocket(): Promise<null> {
    return Promise.resolve(null);
  }
  returnSocket(): void {}
  log(): void {}
  call(method: string): Promise<unknown> {
    return Promise.reject(new Error(`unknown server call '${method}'`));
  }
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer[], length: number): Promise<void> {
  const head = makeHead(req.url ?? '/', {
    method: req.method ?? 'GET',
    clength_in: req.method === 'POST' ? length : null,
  });
  const t0 = process.hrtime.bigint();
  const preq = await gateway.open('main_interpreter', settings, head, new HttpHost(res, body), 0);
  const t1 = process.hrtime.bigint();
  try {
    await preq.runPhase(HANDLER_CALL);
  } finally {
    const t2 = process.hrtime.bigint();
    res.end();
    const closing = preq.close();
    const t3 = process.hrtime.bigint();
    await closing;
    const t4 = process.hrtime.bigint();
    if (TIMING) timing.push([Number(t1 - t0), Number(t2 - t1), Number(t3 - t2), Number(t4 - t3)]);
    if (TIMING && timing.length === 2000) {
      const avg = [0, 1, 2, 3].map((i) => Math.round(timing.reduce((a, r) => a + r[i]!, 0) / timing.length / 1000));
      process.stderr.write(`avg us: open ${avg[0]} phase ${avg[1]} end ${avg[2]} close ${avg[3]}\n`);
      timing.length = 0;
    }
  }
}

const server = http.createServer((req, res) => {
  const fail = (err: Error): void => {
    res.statusCode = (err as { status?: number }).status ?? 500;
    res.end(String(err.message));
  };
  if (req.method !== 'POST') {
    serve(req, res, [], 0).catch(fail);
    return;
  }
  const body: Buffer[] = [];
  let length = 0;
  req.on('data', (c: Buffer) => {
    body.push(c);
    length += c.length;
  });
  req.on('end', () => void serve(req, res, body, length).catch(fail));
});
server.listen(port, '127.0.0.1', () => process.stderr.write(`bench server on 127.0.0.1:${port} pid ${process.pid}\n`));
const stop = (): void => {
  server.close();
  void gateway.shutdown(2000).then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
