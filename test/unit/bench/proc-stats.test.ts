import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuTicks, descendantsOf, parseMachineCpu, parseProcStat, parsePssKiB } from '../../../bench/proc-stats.js';

// a real line shape: 52 fields; comm "(apache2)"
const STAT = '1234 (apache2) S 1000 1234 1234 0 -1 4194560 2133 0 0 0 17 5 3 2 20 0 1 0 9182 14819328 1775 18446744073709551615 1 1 0 0 0 0 0 4096 134235883 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0';

void test('parseProcStat reads pid, ppid and the four CPU times', () => {
  assert.deepEqual(parseProcStat(STAT), { pid: 1234, comm: 'apache2', ppid: 1000, utime: 17, stime: 5, cutime: 3, cstime: 2 });
});

void test('parseProcStat counts fields from the last ")" so a command name with spaces and parens is safe', () => {
  const tricky = STAT.replace('(apache2)', '(we) ird (name)');
  assert.equal(parseProcStat(tricky).ppid, 1000);
  assert.equal(parseProcStat(tricky).utime, 17);
  assert.equal(parseProcStat(tricky).comm, 'we) ird (name');
});

void test('parseProcStat rejects text that is not a stat line', () => {
  assert.throws(() => parseProcStat('hello'), /not a \/proc\/PID\/stat line/);
  assert.throws(() => parseProcStat('12 (x) S 1'), /no field 14/);
});

void test('cpuTicks adds own and waited-for children time', () => {
  assert.equal(cpuTicks(parseProcStat(STAT)), 17 + 5 + 3 + 2);
});

void test('parsePssKiB takes the Pss line, not Pss_Anon or Rss', () => {
  const text = '00400000-7ffd [rollup]\nRss:               20480 kB\nPss:                7001 kB\nPss_Anon:           5000 kB\n';
  assert.equal(parsePssKiB(text), 7001);
  assert.throws(() => parsePssKiB('Rss: 1 kB\n'), /no Pss line/);
});

void test('descendantsOf walks the whole tree below the root and nothing else', () => {
  const parents = new Map([[10, 1], [11, 10], [12, 10], [13, 11], [20, 1], [21, 20]]);
  assert.deepEqual(descendantsOf(10, parents).sort((a, b) => a - b), [10, 11, 12, 13]);
  assert.deepEqual(descendantsOf(99, parents), [99]);
});

void test('parseMachineCpu counts idle and iowait as not busy', () => {
  const cpu = parseMachineCpu('cpu  100 5 50 1000 20 3 7 1 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n');
  assert.deepEqual(cpu, { busy: 100 + 5 + 50 + 3 + 7 + 1, total: 166 + 1000 + 20 });
  assert.throws(() => parseMachineCpu('intr 1 2 3'), /cpu line/);
});
