import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEAD_FIELDS } from '../../../src/ipc/messages.js';
import { wireCall, wireHead } from '../../../src/workers/wire.js';
import type { RequestHead } from '../../../src/workers/types.js';

const connection = Object.freeze({ id: 7, client_ip: '10.0.0.1', client_port: 5000, local_ip: '10.0.0.2', local_port: 80, local_host: null, remote_host: null, keepalive: 0 });
const server = {} as RequestHead['server'];

/** A head with every field set to a value of its own, so a dropped or swapped field shows. */
function fullHead(): RequestHead {
  return {
    the_request: 'POST /a?b HTTP/1.1',
    method: 'POST',
    method_number: 2,
    protocol: 'HTTP/1.1',
    proto_num: 1001,
    unparsed_uri: '/a?b',
    hostname: 'example.org',
    request_time: 1.5,
    headers_in: [['Host', 'example.org']],
    header_only: true,
    expecting_100: true,
    clength_in: 12,
    read_chunked: true,
    parsed_uri: [null, null, null, null, 'example.org', 80, '/a', 'b', null],
    range: 'bytes=0-1',
    document_root: '/srv',
    is_https: true,
    prev_rid: 3,
    main_rid: 4,
    connection,
    keepalives: 9,
    server,
  };
}

void test('the wire head carries every RequestHead field at its HEAD_FIELDS position, the server and the connection by reference', () => {
  const head = fullHead();
  const refs: object[] = [];
  const wire = wireHead(head, (v) => refs.push(v));
  assert.equal(wire.length, HEAD_FIELDS.length);
  assert.deepEqual(new Set(HEAD_FIELDS), new Set(Object.keys(head)), 'HEAD_FIELDS names every RequestHead field once');
  assert.equal(new Set(HEAD_FIELDS).size, HEAD_FIELDS.length);
  const byRef: Partial<Record<keyof RequestHead, number>> = { connection: 1, server: 2 };
  HEAD_FIELDS.forEach((name, i) => assert.deepEqual(wire[i], byRef[name] ?? head[name], name));
  assert.deepEqual(refs, [connection, server]);
});

void test('the optional chain ids end the array early when unset', () => {
  const { prev_rid: _p, main_rid: _m, ...head } = fullHead();
  const always = HEAD_FIELDS.length - 2;
  assert.equal(wireHead(head, () => 1).length, always);
  assert.deepEqual(wireHead({ ...head, prev_rid: 3 }, () => 1).slice(always), [3]);
  assert.deepEqual(wireHead({ ...head, main_rid: 4 }, () => 1).slice(always), [null, 4]);
});

void test('frozen handler lists and tables go by reference, others inline', () => {
  const hlist = Object.freeze([{ handler: 'h', directory: '/d', isLocation: false, silent: false }]);
  const config = Object.freeze({ PythonDebug: '1' });
  const options = { a: 'b' };
  const seen: object[] = [];
  const refOf = (v: object): number => seen.push(v) + 100;
  const wire = wireCall({ phase: 'PythonHandler', hlist, extension: '.py', sync: { config, options, status: 200 } }, refOf);
  assert.deepEqual(wire, { phase: 'PythonHandler', hlist: 101, extension: '.py', sync: { config: 102, options, status: 200 } });
  const plain = wireCall({ phase: 'PythonHandler', hlist: [...hlist], extension: null, sync: { status: 404 } }, refOf);
  assert.deepEqual(plain.hlist, [...hlist]);
  assert.deepEqual(plain.sync, { status: 404 });
});
