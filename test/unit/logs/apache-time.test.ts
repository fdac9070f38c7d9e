/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clfTime, errorLogTime, strftime } from '../../../src/logs/apache-time.js';

// Tests build dates in local time and compare with local-time expectations, so they hold in any TZ.
const d = new Date(2026, 10, 5, 7, 4, 9, 321); // Thu 5 Nov 2026 07:04:09.321 local

describe('apache-time', () => {
  it('formats the error-log time with microseconds', () => {
    assert.equal(errorLogTime(d.getTime() * 1000 + 654), 'Thu Nov 05 07:04:09.321654 2026');
  });

  it('formats %t as [dd/Mon/yyyy:HH:MM:SS +zzzz] and reuses it within the second', () => {
    const first = clfTime(d.getTime());
    assert.match(first, /^\[05\/Nov\/2026:07:04:09 [+-]\d{4}\]$/);
    assert.equal(clfTime(d.getTime() + 500), first, 'same second, same text');
    assert.match(clfTime(d.getTime() + 1000), /:07:04:10 /, 'next second re-formats');
  });

  const table: [string, string][] = [
    ['%Y-%m-%d %H:%M:%S', '2026-11-05 07:04:09'],
    ['%a %A %b %B %h', 'Thu Thursday Nov November Nov'],
    ['%e|%k|%l|%I %p', ' 5| 7| 7|07 AM'],
    ['%j %u %w %y %C', '309 4 4 26 20'],
    ['%D %F %T %R', '11/05/26 2026-11-05 07:04:09 07:04'],
    ['100%% %Q', '100% %Q'],
  ];
  for (const [format, expected] of table) {
    it(`strftime("${format}")`, () => {
      assert.equal(strftime(format, d), expected);
    });
  }

  it('strftime %s is seconds since the epoch', () => {
    assert.equal(strftime('%s', d), String(Math.floor(d.getTime() / 1000)));
  });
});
