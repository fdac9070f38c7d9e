/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileLogFormat, STANDARD_FORMATS, type AccessEntry } from '../../../src/logs/access-log.js';
import { clfTime } from '../../../src/logs/apache-time.js';
import { ModpyError } from '../../../src/errors.js';
import { sampleEntry } from './sample-entry.js';

const e = sampleEntry();

describe('compileLogFormat: one directive at a time', () => {
  const table: [string, string, Partial<AccessEntry>?][] = [
    ['%%', '%'],
    ['%a %{c}a %A', '127.0.0.1 127.0.0.1 127.0.0.2'],
    ['%h', '127.0.0.1'],
    ['%h', 'client.example.net', { remoteHost: 'client.example.net' }],
    ['%b|%B', '1234|1234'],
    ['%b|%B', '-|0', { bytesSent: 0 }],
    ['%{sid}C|%{theme}C|%{none}C', 'abc|dark|-'],
    ['%{sid}C', 'zzz', { cookies: { sid: 'zzz' } }],
    ['%D', '2345678'],
    ['%{HTTPS}e|%{NOPE}e', 'on|-'],
    ['%f', '/srv/www/index.html'],
    ['%f', '-', { filename: null }],
    ['%H %m', 'HTTP/1.1 GET'],
    ['%{User-Agent}i|%{Referer}i', 'curl/8|-'],
    ['%{X-Multi}i', 'a, b', { requestHeaders: { 'x-multi': ['a', 'b'] } }],
    ['%I %O %S', '120 1500 1620'],
    ['%k %X %l %L', '3 + - -'],
    ['%L', 'abc123', { logId: 'abc123' }],
    ['%{python-note}n', 'n1'],
    ['%{Content-Type}o', 'text/html'],
    ['%{Set-Cookie}o', 'a=1, b=2'],
    ['%{X-Twice}o|%{Missing}o', 'first|-'],
    ['%p %{canonical}p %{local}p %{remote}p', '80 80 8080 54321'],
    ['%P %{pid}P %{tid}P %{hextid}P', '4242 4242 4242 1092'],
    ['%{tid}P', '99', { tid: 99 }],
    ['%q', '?a=1'],
    ['%q', '', { query: '' }],
    ['%r', 'GET /index.html?a=1 HTTP/1.1'],
    ['%R', 'mod_python'],
    ['%s %<s %>s', '302 302 200', { originalStatus: 302 }],
    ['%T %{s}T %{ms}T %{us}T', '2 2 2345 2345678'],
    ['%u', '-'],
    ['%u', 'alice', { remoteUser: 'alice' }],
    ['%u', '""', { remoteUser: '' }],
    ['%U', '/index.html'],
    ['%v %V', 'example.com www.example.com'],
    ['%V', 'example.com', { requestHeaders: {} }],
    ['%V', '[::1]', { requestHeaders: { host: '[::1]:8080' } }],
    ['%{sec}t', String(Math.floor(e.startTime / 1000))],
    ['%{msec}t|%{msec_frac}t', `${e.startTime}|250`],
    ['%{usec_frac}t', '250000'],
    ['%{end:sec}t', String(Math.floor((e.startTime + 2345.678) / 1000))],
    ['%{%Y-%m-%d %H:%M:%S}t', '2026-11-25 00:41:02'],
    ['%{begin:%H:%M}t', '00:41'],
    ['a\\tb\\nc\\x', 'a\tb\nc\\x'],
    // Status conditions: listed statuses log the value, others "-"; "!" inverts.
    ['%200,304{User-Agent}i', 'curl/8'],
    ['%400,501{User-Agent}i', '-'],
    ['%!200{User-Agent}i', '-'],
    ['%!404{User-Agent}i', 'curl/8'],
  ];
  for (const [format, expected, over] of table) {
    it(`"${format}" → "${expected.replace(/\n/g, '\\n')}"`, () => {
      assert.equal(compileLogFormat(format)(over ? sampleEntry(over) : e), expected);
    });
  }

  it('%t is the CLF time in brackets', () => {
    assert.equal(compileLogFormat('%t')(e), clfTime(e.startTime));
  });
});

describe('compileLogFormat: escaping like ap_escape_logitem', () => {
  const table: [string, string][] = [
    ['say "hi"', 'say \\"hi\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['tab\there\r\n', 'tab\\there\\r\\n'],
    ['\x01\x7f\b\v', '\\x01\\x7f\\b\\v'],
    ['caf\u00c3\u00a9', 'caf\\xc3\\xa9'], // a latin-1 view of UTF-8 bytes, as Node gives headers
    ['\u20ac', '\\xe2\\x82\\xac'], // a wide char is logged as its UTF-8 bytes
    ['\u{1F600}', '\\xf0\\x9f\\x98\\x80'],
  ];
  for (const [value, expected] of table) {
    it(`escapes ${JSON.stringify(value)}`, () => {
      assert.equal(compileLogFormat('%{X}i')(sampleEntry({ requestHeaders: { x: value } })), expected);
    });
  }

  it('escapes the request line and user too', () => {
    const line = compileLogFormat('%r %u')(sampleEntry({ requestLine: 'GET /"x" HTTP/1.1', remoteUser: 'a b"c' }));
    assert.equal(line, 'GET /\\"x\\" HTTP/1.1 a b\\"c');
  });
});

describe('compileLogFormat: the standard formats', () => {
  it('common', () => {
    assert.equal(
      compileLogFormat(STANDARD_FORMATS.common as string)(e),
      `127.0.0.1 - - ${clfTime(e.startTime)} "GET /index.html?a=1 HTTP/1.1" 200 1234`,
    );
  });
  it('combined', () => {
    assert.equal(
      compileLogFormat(STANDARD_FORMATS.combined as string)(sampleEntry({ remoteUser: 'bob' })),
      `127.0.0.1 - bob ${clfTime(e.startTime)} "GET /index.html?a=1 HTTP/1.1" 200 1234 "-" "curl/8"`,
    );
  });
});

describe('compileLogFormat: bad formats fail at compile time with a clear error', () => {
  const table: [string, RegExp][] = [
    ['%Z', /unrecognized directive %Z/],
    ['abc %', /ends inside a % directive/],
    ['%{Referer', /unterminated/],
    ['%i', /%i needs a \{name\} argument/],
    ['%{hours}T', /unit must be s, ms or us/],
    ['%{peer}p', /canonical, local or remote/],
    ['%{x}P', /pid, tid or hextid/],
    ['%4000s', /3-digit HTTP status/],
  ];
  for (const [format, message] of table) {
    it(`rejects "${format}"`, () => {
      assert.throws(
        () => compileLogFormat(format),
        (err: unknown) => err instanceof ModpyError && err.code === 'MPY_ERR_LOG_BAD_FORMAT' && message.test(err.message),
      );
    });
  }
});

describe('compileLogFormat: speed', () => {
  it('formats a combined line in well under 5 µs on average', () => {
    const f = compileLogFormat(STANDARD_FORMATS.combined as string);
    const n = 100_000;
    const t0 = process.hrtime.bigint();
    let total = 0;
    for (let i = 0; i < n; i++) total += f(e).length;
    const perLineUs = Number(process.hrtime.bigint() - t0) / 1000 / n;
    assert.ok(total > 0);
    assert.ok(perLineUs < 5, `took ${perLineUs.toFixed(2)} µs per line`);
  });
});
