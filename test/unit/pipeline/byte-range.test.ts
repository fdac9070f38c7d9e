/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rangeSlicer, singleRange } from '../../../src/pipeline/byte-range.js';

describe('byte ranges over handler output', () => {
  it('parses one range: closed, open-ended, suffix, clamped', () => {
    assert.deepEqual(singleRange('bytes=0-3', 10), { start: 0, end: 3, total: 10 });
    assert.deepEqual(singleRange('bytes=4-', 10), { start: 4, end: 9, total: 10 });
    assert.deepEqual(singleRange('bytes=-3', 10), { start: 7, end: 9, total: 10 });
    assert.deepEqual(singleRange('bytes=5-99', 10), { start: 5, end: 9, total: 10 });
  });
  it('leaves the whole body for several ranges, bad syntax or no overlap', () => {
    for (const h of ['bytes=0-1,3-4', 'items=0-1', 'bytes=20-30', 'bytes=5-2', 'bytes=-0', undefined]) assert.equal(singleRange(h, 10), null, String(h));
  });
  it('cuts the range out of chunks as they stream', () => {
    const cut = rangeSlicer({ start: 3, end: 6, total: 10 });
    const parts = ['012', '345', '6789'].map((c) => cut(Buffer.from(c))?.toString() ?? null);
    assert.deepEqual(parts, [null, '345', '6']);
  });
});
