/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { levelName, parseLogLevel } from '../../../src/logs/log-level.js';
import { ModpyError } from '../../../src/errors.js';

describe('parseLogLevel', () => {
  const cases: [string, number, Record<string, number>][] = [
    ['warn', 4, {}],
    ['emerg', 0, {}],
    ['debug', 7, {}],
    ['trace3', 10, {}],
    ['TRACE8', 15, {}],
    ['info mod_python:debug', 6, { python: 7 }],
    ['ssl:warn error', 3, { ssl: 4 }],
    ['mod_python.c:trace1 core:crit', 4, { python: 8, core: 2 }],
    ['  notice  ', 5, {}],
  ];
  for (const [value, level, modules] of cases) {
    it(`reads "${value}"`, () => {
      assert.deepEqual(parseLogLevel(value), { level, modules });
    });
  }

  for (const bad of ['', 'verbose', 'warn python:loud', ':debug', 'trace9']) {
    it(`rejects "${bad}" and lists the legal levels`, () => {
      assert.throws(
        () => parseLogLevel(bad),
        (err: unknown) =>
          err instanceof ModpyError &&
          err.code === 'MPY_ERR_LOG_BAD_LEVEL' &&
          err.message.includes('emerg | alert | crit | error | warn | notice | info | debug | trace1'),
      );
    });
  }
});

describe('levelName', () => {
  it('names syslog and trace levels as Apache prints them', () => {
    assert.equal(levelName(3), 'error');
    assert.equal(levelName(4), 'warn');
    assert.equal(levelName(8), 'trace1');
    assert.equal(levelName(15), 'trace8');
    assert.equal(levelName(99), 'trace8');
  });
});
