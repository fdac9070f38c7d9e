/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { groupsOf, parseGroupFile } from '../../../src/auth/groups.js';
import { ModpyError } from '../../../src/errors.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/groups.txt', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modpy-groups-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('groupsOf', () => {
  const table: [string, string[]][] = [
    ['alice', ['admins', 'staff']],
    ['bob', ['admins']],
    ['carol', ['staff']],
    ['dave', ['staff']], // a group continued on a later line
    ['nobody', []],
  ];
  for (const [user, groups] of table) {
    it(`${user} → [${groups.join(', ')}]`, async () => {
      assert.deepEqual(await groupsOf(FIXTURE, user), groups);
    });
  }

  it('ignores comments, blank lines, lines without a colon and empty groups', () => {
    assert.deepEqual([...parseGroupFile('# x: y\n\nnocolon\nempty:\n g1 :  u1\tu2 \n')], [
      ['u1', ['g1']],
      ['u2', ['g1']],
    ]);
  });

  it('sees changes to the file', async () => {
    const p = path.join(tmp, 'g');
    fs.writeFileSync(p, 'a: u\n');
    assert.deepEqual(await groupsOf(p, 'u'), ['a']);
    fs.writeFileSync(p, 'a: v\nb: u\n');
    fs.utimesSync(p, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(await groupsOf(p, 'u'), ['b']);
  });

  it('a missing file is MPY_ERR_AUTH_GROUP_FILE', async () => {
    await assert.rejects(groupsOf(path.join(tmp, 'missing'), 'u'), (err: unknown) => err instanceof ModpyError && err.code === 'MPY_ERR_AUTH_GROUP_FILE');
  });
});
