/** The FollowSymLinks check of the directory walk (Apache's AH00037 refusal). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { symlinksAllowed } from '../../../src/pipeline/path-walk.js';

const FOLLOW = { followSymLinks: true, symLinksIfOwnerMatch: false };
const REFUSE = { followSymLinks: false, symLinksIfOwnerMatch: false };
const OWNER = { followSymLinks: false, symLinksIfOwnerMatch: true };

function site(): string {
  const root = mkdtempSync(join(tmpdir(), 'modpy-walk-'));
  mkdirSync(join(root, 'real'));
  writeFileSync(join(root, 'real/f.txt'), 'x');
  symlinkSync(join(root, 'real'), join(root, 'link'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
  return root;
}

void test('a symlink below the base is refused without FollowSymLinks, allowed with it', () => {
  const root = site();
  assert.equal(symlinksAllowed(join(root, 'link/f.txt'), root, REFUSE), false);
  assert.equal(symlinksAllowed(join(root, 'link/f.txt'), root, FOLLOW), true);
  assert.equal(symlinksAllowed(join(root, 'real/f.txt'), root, REFUSE), true, 'no link on the way');
});

void test('SymLinksIfOwnerMatch follows a link owned like its target, not a dangling one', () => {
  const root = site();
  assert.equal(symlinksAllowed(join(root, 'link/f.txt'), root, OWNER), true);
  assert.equal(symlinksAllowed(join(root, 'dangling'), root, OWNER), false);
});

void test('components above the base are not checked; a missing component ends the check', () => {
  const root = site();
  assert.equal(symlinksAllowed(join(root, 'link/f.txt'), join(root, 'link'), REFUSE), true);
  assert.equal(symlinksAllowed(join(root, 'missing/more'), root, REFUSE), true);
});
