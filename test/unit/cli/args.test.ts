/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, UsageError } from '../../../src/cli/args.js';

describe('parseArgs', () => {
  it('accepts httpd flags in any order, glued or separate', () => {
    assert.deepEqual(parseArgs(['-DFOO', '-k', 'stop', '-f', 'c.conf', '-d/srv']), {
      kind: 'signal',
      action: 'stop',
      configFile: 'c.conf',
      serverRoot: '/srv',
      defines: ['FOO'],
    });
  });
  it('runs in the foreground with -X or -DFOREGROUND, detaches otherwise', () => {
    assert.equal((parseArgs(['-DFOREGROUND']) as { foreground: boolean }).foreground, true);
    assert.deepEqual((parseArgs(['-X']) as { defines: string[] }).defines, ['ONE_PROCESS']);
    assert.equal((parseArgs(['-f', 'x']) as { foreground: boolean }).foreground, false);
    assert.equal(parseArgs(['-k', 'start']).kind, 'signal');
    assert.equal(parseArgs(['-k', 'start', '-DFOREGROUND']).kind, 'run');
  });
  it('maps -t, configtest, -v, -V, -S and config --json', () => {
    assert.equal(parseArgs(['-t', '-f', 'x']).kind, 'configtest');
    assert.equal(parseArgs(['configtest']).kind, 'configtest');
    assert.deepEqual(parseArgs(['-v']), { kind: 'version', verbose: false });
    assert.deepEqual(parseArgs(['-V']), { kind: 'version', verbose: true });
    assert.equal(parseArgs(['-S']).kind, 'dump-vhosts');
    assert.equal(parseArgs(['config', '--json']).kind, 'config-json');
  });
  it('parses serve with defaults and options', () => {
    assert.deepEqual(parseArgs(['serve']), { kind: 'serve', dir: '.', port: 8000, host: '127.0.0.1', defines: [] });
    assert.deepEqual(parseArgs(['serve', 'site', '--port=9000', '--host', '::1']), { kind: 'serve', dir: 'site', port: 9000, host: '::1', defines: [] });
  });
  it('rejects bad input with a clear message', () => {
    assert.throws(() => parseArgs(['-k', 'explode']), (e: unknown) => e instanceof UsageError && /unknown -k action 'explode'/.test(e.message));
    assert.throws(() => parseArgs(['-f']), /option -f requires an argument/);
    assert.throws(() => parseArgs(['--wat']), /unknown option '--wat'/);
    assert.throws(() => parseArgs(['serve', '--port', 'x']), /--port must be a number/);
    assert.throws(() => parseArgs(['config']), /needs --json/);
  });
  it('serve passes --host and DIR on as written (serveConfigText checks them)', () => {
    for (const host of ['0.0.0.0', '::', '[::1]', 'fe80::1', 'localhost', 'my-box.example.org', 'a1']) {
      assert.equal((parseArgs(['serve', '--host', host]) as { host: string }).host, host);
    }
    assert.equal((parseArgs(['serve', 'dir with spaces/é']) as { dir: string }).dir, 'dir with spaces/é');
  });
  it('serve refuses a --port that is not a port number', () => {
    for (const port of ['x', '', '-1', '80.5', '0x10', '65536', '70000']) {
      assert.throws(() => parseArgs(['serve', '--port', port]), (e: unknown) => e instanceof UsageError && /--port must be a number 0-65535/.test(e.message), port);
    }
    assert.equal((parseArgs(['serve', '--port', '65535']) as { port: number }).port, 65535);
  });
});
