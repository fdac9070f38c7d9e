/**
 * @module test/helpers/redis-server — a private redis-server for a test, on a free 127.0.0.1
 * port (never 6379), ready once it answers PING. Like startLiveServer, it picks a new port and
 * tries again (up to 3 times) when redis exits because another test took the port meanwhile.
 *
 *   const redis = await startRedis();   // { port, url: 'redis://127.0.0.1:<port>/0', stop() }
 *   await redis.stop();                 // SIGTERM, waits for the exit
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './live-server.js';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Resolves true when something on the port answers a RESP PING with +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect({ host: '127.0.0.1', port });
    let got = '';
    const finish = (ok: boolean) => {
      sock.destroy();
      done(ok);
    };
    sock.setTimeout(1000, () => finish(false));
    sock.once('connect', () => sock.write('*1\r\n$4\r\nPING\r\n'));
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) finish(got.startsWith('+PONG'));
    });
    sock.once('error', () => finish(false));
  });
}

async function startOnce(): Promise<TestRedis | null> {
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    if (child.exitCode !== null || child.signalCode !== null) return null; // most likely the port was taken
    // PING alone could reach another process on the port: redis must also still be running.
    if ((await answersPing(port)) && child.exitCode === null) return { port, url: `redis://127.0.0.1:${port}/0`, stop };
  }
  await stop();
  throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within 10 s`);
}

/** Starts a private redis-server; see the module header. */
export async function startRedis(): Promise<TestRedis> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const redis = await startOnce();
    if (redis) return redis;
  }
  throw new Error('redis-server exited at start three times (ports taken?)');
}
