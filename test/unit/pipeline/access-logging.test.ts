/** The AccessEntry of an exchange: the env and notes maps are built only when a log reads them
 *  (%{VAR}e, %{NAME}n, env= conditions), once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessEntry } from '../../../src/logs/access-entry.js';
import { writeAccessLog } from '../../../src/pipeline/access-logging.js';
import type { RequestRecord } from '../../../src/pipeline/request-record.js';

/** A table that counts how often it is walked. */
function countedTable(pairs: [string, string][]): { table: [string, string][]; walks: () => number } {
  let walks = 0;
  const table = [...pairs];
  const iterate = table[Symbol.iterator].bind(table);
  table[Symbol.iterator] = () => {
    walks++;
    return iterate();
  };
  return { table, walks: () => walks };
}

function exchangeWith(env: [string, string][], notes: [string, string][], logged: AccessEntry[]): RequestRecord {
  const ex = {
    channel: { status: 200, bytesSent: 0, headers: [], closed: false, ended: true, res: { shouldKeepAlive: true } },
    conn: { clientIp: '127.0.0.1', clientPort: 1, localIp: '127.0.0.1', localPort: 80, id: 1, served: 0, counted: { read: 0, written: 0 } },
    req: { socket: null, headers: {}, httpVersion: '1.1' },
    theRequest: 'GET /x?a=1 HTTP/1.1',
    startMs: 0,
    startHr: process.hrtime.bigint(),
  };
  const s = { user: null, uri: '/x', status: 200, filename: null, handler: null, subprocess_env: env, notes };
  const server = { info: { server_hostname: 'example.com' }, namedPort: 80, accessLogs: [{ write: (e: AccessEntry) => logged.push(e) }] };
  return { ex, s, server, method: 'GET', unparsedUri: '/x?a=1' } as unknown as RequestRecord;
}

void test('env and notes are not built for a log that does not read them, and built once when read', () => {
  const env = countedTable([['HTTPS', 'on'], ['A', '1']]);
  const notes = countedTable([['python-note', 'n1']]);
  const logged: AccessEntry[] = [];
  const rec = exchangeWith(env.table, notes.table, logged);
  writeAccessLog(rec, rec);
  const [entry] = logged;
  assert.ok(entry);
  assert.equal(entry.query, 'a=1');
  assert.deepEqual([env.walks(), notes.walks()], [0, 0], 'nothing built while no field asked');
  assert.equal(entry.env.HTTPS, 'on');
  assert.equal(entry.env.A, '1');
  assert.deepEqual(entry.notes, { 'python-note': 'n1' });
  assert.deepEqual([env.walks(), notes.walks()], [1, 1], 'each built once');
});
