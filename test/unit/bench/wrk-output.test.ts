import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBashTimes, parseWrkOutput } from '../../../bench/wrk-output.js';

const OUTPUT = `Running 3s test @ http://127.0.0.1:40001/mp/hello
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   712.10us    1.20ms  40.00ms   97.00%
  123456 requests in 3.00s, 20.00MB read
Requests/sec:  41152.00
RESULT requests=123456 duration_us=3000000 bytes=20971520 p50_us=410 p90_us=900 p99_us=5200 max_us=40000 mean_us=712.1 err_connect=0 err_read=2 err_write=0 err_status=3 err_timeout=1
`;

void test('parseWrkOutput reads the RESULT line of report.lua', () => {
  const r = parseWrkOutput(OUTPUT);
  assert.equal(r.requests, 123456);
  assert.equal(r.p50Us, 410);
  assert.equal(r.p99Us, 5200);
  assert.equal(r.meanUs, 712.1);
  assert.equal(r.requestsPerSecond, 41152);
});

void test('parseWrkOutput sums socket errors, timeouts and bad statuses', () => {
  assert.equal(parseWrkOutput(OUTPUT).errors, 6);
});

void test('parseWrkOutput without a RESULT line is a coded error that shows what wrk said', () => {
  assert.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'MPY_ERR_BENCH_WRK_OUTPUT');
    assert.match(err.message, /Connection refused/);
    return true;
  });
});

void test('parseWrkOutput rejects a RESULT line with a missing field', () => {
  assert.throws(() => parseWrkOutput('RESULT requests=5 duration_us=1000000\n'), /field bytes missing/);
});

void test("parseBashTimes takes the children's user + system seconds from bash `times`", () => {
  assert.equal(parseBashTimes(`${OUTPUT}\n0m0.004s 0m0.001s\n1m2.500s 0m0.250s\n`), 62.75);
  assert.throws(() => parseBashTimes(OUTPUT), /no `times` lines/);
});
