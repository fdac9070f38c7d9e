/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ErrorLog, formatErrorLogLine } from '../../../src/logs/error-log.js';
import { ModpyError } from '../../../src/errors.js';
import { openLogSink } from '../../../src/logs/log-sink.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modpy-errlog-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const LINE = /^\[\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[([\w.]+):(\w+)\] \[pid (\d+):tid (\d+)\] (.*)$/;

describe('formatErrorLogLine', () => {
  const timeUs = new Date(2026, 10, 25, 0, 41, 2).getTime() * 1000 + 123456;
  it('has the Apache 2.4 shape with client and APLOGNO', () => {
    assert.equal(
      formatErrorLogLine({ timeUs, level: 3, message: 'boom', module: 'mod_python', pid: 1234, tid: 5678, client: '127.0.0.1:54321', aplogno: 'MPY0007' }),
      '[Wed Nov 25 00:41:02.123456 2026] [mod_python:error] [pid 1234:tid 5678] [client 127.0.0.1:54321] MPY0007: boom\n',
    );
  });
  it('defaults to module core, this pid, tid = pid, and appends the referer', () => {
    const line = formatErrorLogLine({ timeUs, level: 7, message: 'x', referer: 'http://r/' });
    assert.equal(line, `[Wed Nov 25 00:41:02.123456 2026] [core:debug] [pid ${process.pid}:tid ${process.pid}] x, referer: http://r/\n`);
  });
  it('an empty module prints "[:level]", which is how Apache tags mod_python\'s own messages', () => {
    const line = formatErrorLogLine({ timeUs, level: 4, message: 'from apache.log_error', module: '', pid: 5311, tid: 5311 });
    assert.equal(line, '[Wed Nov 25 00:41:02.123456 2026] [:warn] [pid 5311:tid 5311] from apache.log_error\n');
  });
  it('keeps one call on one line: control characters are escaped', () => {
    const line = formatErrorLogLine({ timeUs, level: 3, message: 'Traceback:\n  File "x"\r\tend\x1b' });
    assert.ok(line.endsWith('Traceback:\\n  File "x"\\r\\tend\\x1b\n'));
    assert.equal(line.split('\n').length, 2);
  });
});

describe('ErrorLog', () => {
  it('writes lines that pass LogLevel, per module, and loses nothing on close()', async () => {
    const file = path.join(dir, 'levels.log');
    const log = ErrorLog.open(file, 'warn mod_python:debug');
    log.log(3, 'core error');
    log.log(6, 'core info, filtered');
    log.log(7, 'python debug', { module: 'mod_python' });
    log.log(7, 'python debug, short module name', { module: 'python' });
    log.log(8, 'python trace1, filtered', { module: 'mod_python' });
    for (let i = 0; i < 500; i++) log.log(4, `bulk ${i}`, { module: 'core', client: '10.0.0.1:1' });
    log.log(5, 'notice with always: written despite LogLevel warn', { always: true });
    assert.equal(log.enabled(6), false);
    assert.equal(log.enabled(7, 'mod_python.c'), true);
    await log.close();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 504);
    assert.match(lines[503] as string, /\[core:notice\] .* notice with always: written despite LogLevel warn$/);
    const [, module, level, pid, , rest] = LINE.exec(lines[0] as string) ?? [];
    assert.deepEqual([module, level, pid, rest], ['core', 'error', String(process.pid), 'core error']);
    assert.match(lines[1] as string, /\[mod_python:debug\] .* python debug$/);
    assert.match(lines[2] as string, /\[python:debug\] .* python debug, short module name$/);
    assert.match(lines[502] as string, /\[core:warn\] .*\[client 10\.0\.0\.1:1\] bulk 499$/);
  });

  it('reopen() starts a new file after rotation', async () => {
    const file = path.join(dir, 'rotate.log');
    const log = ErrorLog.open(file, 'info');
    log.log(6, 'before');
    // Lines are written asynchronously: rotate only once 'before' is in the file.
    for (const end = Date.now() + 10_000; !fs.readFileSync(file, 'utf8').includes('before'); await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() > end) assert.fail("'before' never reached the file");
    }
    fs.renameSync(file, `${file}.1`);
    log.reopen();
    log.log(6, 'after');
    await log.close();
    assert.match(fs.readFileSync(`${file}.1`, 'utf8'), /before\n$/);
    assert.match(fs.readFileSync(file, 'utf8'), /after\n$/);
  });

  it('writes to a piped logger and waits for it on close()', async () => {
    const out = path.join(dir, 'piped.log');
    const log = ErrorLog.open(`|cat > ${out}`, 'warn');
    log.log(2, 'through the pipe', { module: 'mod_python', aplogno: 'MPY0001' });
    await log.close();
    assert.match(fs.readFileSync(out, 'utf8'), /\[mod_python:crit\] .* MPY0001: through the pipe\n$/);
  });

  // Each logger appends its pid, then takes one line and exits: the tests wait until a logger
  // is gone (its pid no longer exists, so Node has reaped it and seen the exit), never guess.
  const oneLineLogger = (out: string, pids: string) => `|echo $$ >> ${pids}; exec head -n 1 >> ${out}`;
  const poll = async (what: string, done: () => boolean): Promise<void> => {
    for (const end = Date.now() + 10_000; !done(); await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    }
  };
  const readOr = (file: string): string => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  const loggerGone = (pids: string, n: number) =>
    poll(`logger #${n} exited`, () => {
      const pid = Number(readOr(pids).split('\n')[n - 1]);
      if (!pid) return false;
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true; // ESRCH: exited and reaped
      }
    });

  it('restarts a piped logger that exits, not before the restart delay, with the lines queued meanwhile', async () => {
    const out = path.join(dir, 'restarted.log');
    const pids = path.join(dir, 'restarted.pids');
    const started = Date.now();
    const sink = openLogSink(oneLineLogger(out, pids), { pipeRestartDelayMs: 300 });
    sink.write('A\n');
    await loggerGone(pids, 1);
    sink.write('B\n'); // the logger is dead: queued for the restarted one
    await poll('B reached the file', () => readOr(out).includes('B\n'));
    assert.ok(Date.now() - started >= 300, 'the restart waited for the delay');
    await loggerGone(pids, 2);
    sink.write('C\n'); // either queued for the next restart or taken by logger #3: close() delivers it
    await sink.close();
    assert.deepEqual(readOr(out).trimEnd().split('\n'), ['A', 'B', 'C']);
  });

  it('delivers lines queued for a pending restart on close()', async () => {
    const out = path.join(dir, 'pending.log');
    const pids = path.join(dir, 'pending.pids');
    const sink = openLogSink(oneLineLogger(out, pids), { pipeRestartDelayMs: 60_000 });
    sink.write('A\n');
    await loggerGone(pids, 1);
    sink.write('B\n'); // the restart is a minute away
    const closing = Date.now();
    await sink.close();
    assert.ok(Date.now() - closing < 10_000, 'close() does not wait for the restart timer');
    assert.deepEqual(readOr(out).trimEnd().split('\n'), ['A', 'B']);
    assert.equal(readOr(pids).trimEnd().split('\n').length, 2, 'one more logger was started for the backlog');
  });

  const rejected: [string, string, string][] = [
    ['syslog', 'warn', 'MPY_ERR_LOG_BAD_TARGET'],
    ['syslog:local7', 'warn', 'MPY_ERR_LOG_BAD_TARGET'],
    ['logs/error_log', 'warn', 'MPY_ERR_LOG_BAD_TARGET'],
    ['|  ', 'warn', 'MPY_ERR_LOG_BAD_TARGET'],
    [path.join(dir, 'no-such-dir', 'x.log'), 'warn', 'MPY_ERR_LOG_OPEN_FAILED'],
    [path.join(dir, 'ok.log'), 'loud', 'MPY_ERR_LOG_BAD_LEVEL'],
  ];
  for (const [target, level, code] of rejected) {
    it(`rejects target "${target}" / level "${level}" with ${code}`, () => {
      assert.throws(() => ErrorLog.open(target, level), (err: unknown) => err instanceof ModpyError && err.code === code);
    });
  }
});
