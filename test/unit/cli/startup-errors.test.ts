/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configError } from '../../../src/errors.js';
import { describeStartupError } from '../../../src/cli/startup-errors.js';
import { serveConfigText } from '../../../src/cli/serve-config.js';
import { resolvePython } from '../../../src/cli/python-path.js';

describe('start-up messages', () => {
  it("print configuration errors in httpd's -t shape", () => {
    const err = configError('CONFIG_UNKNOWN_DIRECTIVE', '/etc/x.conf', 7, 'Bogus');
    assert.match(describeStartupError(err), /^AH00526: Syntax error on line 7 of \/etc\/x\.conf:\nInvalid command 'Bogus'/);
  });
  it('print a busy port as httpd does', () => {
    const err = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', address: '127.0.0.1', port: 8080 });
    assert.equal(
      describeStartupError(err),
      '(98)Address already in use: AH00072: make_sock: could not bind to address 127.0.0.1:8080\nno listening sockets available, shutting down',
    );
  });
  it('print the other bind failures from the same table; EACCES only when listen() raised it', () => {
    const failure = (code: string, syscall = 'listen') => Object.assign(new Error(`${syscall} ${code}`), { code, syscall, address: '10.9.9.9', port: 80 });
    assert.equal(describeStartupError(failure('EACCES')), '(13)Permission denied: AH00072: make_sock: could not bind to address 10.9.9.9:80\nno listening sockets available, shutting down');
    assert.equal(describeStartupError(failure('EADDRNOTAVAIL')), '(99)Cannot assign requested address: AH00072: make_sock: could not bind to address 10.9.9.9:80\nno listening sockets available, shutting down');
    assert.equal(describeStartupError(failure('EACCES', 'open')), 'open EACCES', 'a log file it cannot open is not a bind failure');
    assert.equal(describeStartupError(failure('constructor')), 'listen constructor');
    assert.equal(describeStartupError(null), 'null');
  });
});

describe('modpy serve configuration', () => {
  it('serves DIR with the publisher for .py and PSP for .psp', () => {
    const text = serveConfigText('/srv/site', '127.0.0.1', 9000);
    assert.match(text, /^Listen 127\.0\.0\.1:9000$/m);
    assert.match(text, /^DocumentRoot "\/srv\/site"$/m);
    assert.match(text, /PythonHandler mod_python\.publisher \| \.py/);
    assert.match(text, /PythonHandler mod_python\.psp \| \.psp/);
    assert.match(text, /DirectoryIndex index\.html index\.py index\.psp/);
  });
  it('brackets an IPv6 host in Listen', () => assert.match(serveConfigText('/d', '::1', 80), /^Listen \[::1\]:80$/m));
});

describe('resolvePython', () => {
  it('finds a command on PATH and keeps explicit paths', () => {
    assert.equal(resolvePython('/usr/bin/python3'), '/usr/bin/python3');
    assert.equal(resolvePython('sh', '/nonexistent:/bin'), '/bin/sh');
    assert.match(resolvePython('no-such-python-here', '/bin'), /not found on PATH/);
  });
});
