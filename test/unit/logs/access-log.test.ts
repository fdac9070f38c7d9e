/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { AccessLog } from '../../../src/logs/access-log.js';
import { sampleEntry } from './sample-entry.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modpy-acclog-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const source = { file: 'test.conf', line: 1 };

describe('AccessLog', () => {
  it('buffers many writes and loses none on close()', async () => {
    const target = path.join(dir, 'access.log');
    const log = AccessLog.open({ target, format: '%U %>s', source });
    for (let i = 0; i < 2000; i++) log.write(sampleEntry({ uri: `/r${i}` }));
    assert.equal(fs.readFileSync(target, 'utf8'), '', 'nothing is written synchronously');
    await log.close();
    const lines = fs.readFileSync(target, 'utf8').split('\n');
    assert.equal(lines.length, 2001);
    assert.equal(lines[0], '/r0 200');
    assert.equal(lines[1999], '/r1999 200');
  });

  it('honours env=VAR and env=!VAR conditions', async () => {
    const only = path.join(dir, 'only.log');
    const except = path.join(dir, 'except.log');
    const a = AccessLog.open({ target: only, format: '%U', condition: { env: 'dontlog', negated: false }, source });
    const b = AccessLog.open({ target: except, format: '%U', condition: { env: 'dontlog', negated: true }, source });
    for (const log of [a, b]) {
      log.write(sampleEntry({ uri: '/plain' }));
      log.write(sampleEntry({ uri: '/marked', env: { dontlog: '1' } }));
    }
    await Promise.all([a.close(), b.close()]);
    assert.equal(fs.readFileSync(only, 'utf8'), '/marked\n');
    assert.equal(fs.readFileSync(except, 'utf8'), '/plain\n');
  });
});
