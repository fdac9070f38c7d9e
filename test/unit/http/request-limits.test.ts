/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingMessage } from 'node:http';
import { checkRequestLimits, nodeParserSizes, overflowViolation } from '../../../src/http/request-limits.js';
import { mergedHeaders } from '../../../src/http/server.js';
import { serverBanner } from '../../../src/http/server-banner.js';

const limits = { line: 50, fieldSize: 20, fields: 3 };
const req = (url: string, raw: string[]) => ({ method: 'GET', url, rawHeaders: raw }) as unknown as IncomingMessage;

describe('request limits', () => {
  it('passes a request within every limit', () => assert.equal(checkRequestLimits(req('/a', ['Host', 'x']), limits), null));
  it('answers 414 for a long request line', () => assert.equal(checkRequestLimits(req('/' + 'a'.repeat(60), []), limits)?.status, 414));
  it('answers 400 for a long field, naming it in the log', () => {
    const v = checkRequestLimits(req('/', ['X-Long', 'v'.repeat(30)]), limits);
    assert.equal(v?.status, 400);
    assert.match(v?.log ?? '', /LimitRequestFieldSize: X-Long/);
  });
  it('answers 400 for too many fields', () => assert.equal(checkRequestLimits(req('/', ['A', '1', 'B', '2', 'C', '3', 'D', '4']), limits)?.status, 400));
  it("sizes Node's parser so our checks see the request first", () => {
    const s = nodeParserSizes(limits);
    assert.ok(s.maxHeaderSize > limits.line + limits.fields * limits.fieldSize);
    assert.equal(s.maxHeadersCount, limits.fields + 1);
  });
  it('tells a long request line from long fields in a parser overflow', () => {
    assert.equal(overflowViolation(Buffer.from(`GET /${'a'.repeat(100)} HTTP/1.1\r\n`), limits).status, 414);
    assert.equal(overflowViolation(Buffer.from('GET / HTTP/1.1\r\nX: y\r\n'), limits).status, 400);
  });
  it('answers a parser overflow with the same status, note and log line as its own checks', () => {
    const line = overflowViolation(Buffer.from(`GET /${'a'.repeat(100)} HTTP/1.1\r\n`), limits);
    assert.deepEqual(line, checkRequestLimits(req('/' + 'a'.repeat(60), []), limits));
    const field = overflowViolation(Buffer.from('GET / HTTP/1.1\r\nX: y\r\n'), limits);
    const named = checkRequestLimits(req('/', ['X-Long', 'v'.repeat(30)]), limits);
    assert.deepEqual(field, { ...named, log: 'Request header exceeds LimitRequestFieldSize' }, 'the field is not named: Node stopped first');
  });
});

describe('request headers', () => {
  it('merges repeated names with ", " at the first one, keeping order', () => {
    assert.deepEqual(mergedHeaders(['Host', 'h', 'X-A', '1', 'x-a', '2', 'Accept', '*/*']), [
      ['Host', 'h'],
      ['X-A', '1, 2'],
      ['Accept', '*/*'],
    ]);
  });
});

describe('Server header', () => {
  it('follows ServerTokens', () => {
    assert.equal(serverBanner('Prod'), 'Apache');
    assert.equal(serverBanner('Major'), 'Apache/2');
    assert.equal(serverBanner('Minor'), 'Apache/2.4');
    assert.equal(serverBanner('Minimal'), 'Apache/2.4.71');
    assert.equal(serverBanner('OS'), 'Apache/2.4.71 (Unix)');
    assert.match(serverBanner('Full'), /^Apache\/2\.4\.71 \(compatible; modpy\/\d+\.\d+\.\d+\)$/);
  });
});
