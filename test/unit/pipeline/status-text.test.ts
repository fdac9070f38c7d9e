/** Statuses Apache 2.4.71 does not know (its status table has no 418 or 425) go out as 500. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownStatus } from '../../../src/pipeline/status-text.js';

void test('statuses outside Apache 2.4.71 status table become 500; known ones stay', () => {
  for (const s of [418, 425, 299, 599]) assert.equal(knownStatus(s), 500, `${s}`);
  for (const s of [103, 200, 308, 421, 429, 451, 511]) assert.equal(knownStatus(s), s, `${s}`);
});
