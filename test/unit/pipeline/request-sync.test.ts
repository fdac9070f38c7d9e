/** SyncTracker.apply with subprocess_env in the worker's packed form (docs/protocol.md, "What a
 *  phase changed"): the same state, generations and diffs as the pairs would give. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSync, SyncTracker, unpackEnv } from '../../../src/pipeline/request-sync.js';

const PAIRS: [string, string][] = [
  ['GATEWAY_INTERFACE', 'CGI/1.1'],
  ['QUERY_STRING', ''],
  ['HTTP_HOST', 'h:1'],
  ['SERVER_SIGNATURE', ''],
];
const PACKED: [string, string] = [PAIRS.map((p) => p[0]).join('\n'), PAIRS.map((p) => p[1]).join('\n')];

void test('the packed form unpacks to the pairs, empty values included', () => {
  assert.deepEqual(unpackEnv(PACKED), PAIRS);
  assert.deepEqual(unpackEnv(['ONLY', '']), [['ONLY', '']]);
});

void test('a malformed packed form is an error, not a guess', () => {
  assert.throws(() => unpackEnv('A\nB'), /malformed subprocess_env_packed/);
  assert.throws(() => unpackEnv(['A', 1]), /malformed subprocess_env_packed/);
  assert.throws(() => unpackEnv(['A\nB', 'x']), /2 names and 1 values/);
});

void test('applying the packed form is applying the pairs', () => {
  const viaPairs = new SyncTracker(initialSync('/app', null, []));
  const viaPacked = new SyncTracker(initialSync('/app', null, []));
  const seenPairs = viaPairs.apply({ status: 404, subprocess_env: PAIRS });
  const seenPacked = viaPacked.apply({ status: 404, subprocess_env_packed: PACKED });
  assert.deepEqual(viaPacked.state, viaPairs.state);
  assert.equal(seenPacked, seenPairs);
  // Only RequestSync fields are tracked: the packed key never reaches the state or a diff
  // (another interpreter's worker gets the pairs).
  assert.equal('subprocess_env_packed' in viaPacked.state, false);
  assert.deepEqual(viaPacked.diff(0), viaPairs.diff(0));
  assert.deepEqual(viaPacked.diff(0).subprocess_env, PAIRS);
});

void test('the whole table, sent with the packed form, wins', () => {
  const t = new SyncTracker(initialSync('/app', null, []));
  const whole: [string, string][] = [...PAIRS, ['MINE', '1']];
  t.apply({ subprocess_env_packed: PACKED, subprocess_env: whole });
  assert.deepEqual(t.state.subprocess_env, whole);
});
