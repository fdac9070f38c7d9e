/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHeaderBag } from '../../../src/headers/header-bag.js';

describe('HeaderBag', () => {
  it('is case-insensitive, keeps order and repeated names', () => {
    const bag = createHeaderBag([['Content-Type', 'text/html']]);
    bag.add('Set-Cookie', 'a=1');
    bag.add('set-cookie', 'b=2');
    bag.add('X-Last', 'z');
    assert.deepEqual(bag.get('SET-COOKIE'), ['a=1', 'b=2']);
    assert.deepEqual(bag.get('missing'), []);
    bag.set('SET-cookie', 'c=3');
    assert.deepEqual(bag.entries(), [['Content-Type', 'text/html'], ['Set-Cookie', 'c=3'], ['X-Last', 'z']], 'set keeps the first position and name');
    bag.remove('content-type');
    assert.deepEqual(bag.entries(), [['Set-Cookie', 'c=3'], ['X-Last', 'z']]);
  });

  it('does not share state with its input or its output', () => {
    const initial: [string, string][] = [['A', '1']];
    const bag = createHeaderBag(initial);
    bag.set('A', '2');
    assert.equal(initial[0]?.[1], '1');
    const out = bag.entries();
    (out[0] as [string, string])[1] = 'changed';
    assert.deepEqual(bag.get('a'), ['2']);
  });
});
