/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * startLiveServer retries with fresh ports when modpy finds its port taken (another test may
 * bind a port between freePort() and modpy's bind), and only then: other start failures are
 * reported at once. A real listener occupies the port handed out first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { freePort, startLiveServer } from '../../helpers/live-server.js';

describe('startLiveServer port collisions', () => {
  let blocker: Server;
  let taken = 0;
  before(async () => {
    blocker = createServer();
    await new Promise<void>((ready) => blocker.listen(0, '127.0.0.1', ready));
    const addr = blocker.address();
    taken = typeof addr === 'object' && addr ? addr.port : 0;
  });
  after(() => new Promise<void>((closed) => blocker.close(() => closed())));

  it('starts on new ports when the first port is in use', async () => {
    const picked: number[] = [];
    const pickPort = async () => {
      const port = picked.length === 0 ? taken : await freePort();
      picked.push(port);
      return port;
    };
    const srv = await startLiveServer({ config: '', files: { 'htdocs/a.txt': 'here' }, pickPort });
    try {
      assert.equal(picked.length, 2, 'one collision, one retry');
      assert.notEqual(srv.port, taken);
      assert.equal(await (await fetch(srv.url('/a.txt'))).text(), 'here');
    } finally {
      await srv.stop();
    }
  });

  it('gives up after 3 attempts, with modpy\'s own message', async () => {
    let calls = 0;
    const pickPort = () => {
      calls++;
      return Promise.resolve(taken);
    };
    await assert.rejects(startLiveServer({ config: '', pickPort }), /AH00072: make_sock: could not bind to address 127\.0\.0\.1:\d+/);
    assert.equal(calls, 3);
  });

  it('does not retry other start failures', async () => {
    let calls = 0;
    const pickPort = () => {
      calls++;
      return freePort();
    };
    await assert.rejects(startLiveServer({ config: 'ThisIsNotADirective x\n', pickPort }), /AH00526: Syntax error/);
    assert.equal(calls, 1);
  });
});
