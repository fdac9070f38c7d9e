/** The directory walk (path_info after a file) and its FollowSymLinks check (Apache's AH00037 refusal). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { symlinksAllowed, walkPath } from '../../../src/pipeline/path-walk.js';

const FOLLOW = { followSymLinks: true, symLinksIfOwnerMatch: false };
const REFUSE = { followSymLinks: false, symLinksIfOwnerMatch: false };
const OWNER = { followSymLinks: false, symLinksIfOwnerMatch: true };

/** Resolves in the next turn of the event loop: the walk's shared stats are forgotten by then. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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

void test('a file with path_info below it gives the same walk every time, and the walk follows the file system as it changes', async () => {
  const root = site();
  const url = join(root, 'real/app.py/func/x');
  writeFileSync(join(root, 'real/app.py'), 'x');
  for (let i = 0; i < 3; i++) {
    // The first walk's stats throw ENOTDIR; later ones stat the file remembered from it first:
    // same answers, for this path_info and for any other below the same file.
    const walk = walkPath(url, root);
    assert.equal(walk.filename, join(root, 'real/app.py'));
    assert.equal(walk.pathInfo, '/func/x');
    assert.equal(walk.stats?.isFile(), true);
    assert.equal(walkPath(join(root, `real/app.py/other/${i}`), root).pathInfo, `/other/${i}`);
  }
  // The file becomes a directory holding the whole path: the next walk finds it.
  rmSync(join(root, 'real/app.py'));
  mkdirSync(join(root, 'real/app.py/func'), { recursive: true });
  writeFileSync(join(root, 'real/app.py/func/x'), 'y');
  await nextTurn();
  const now = walkPath(url, root);
  assert.equal(now.filename, url);
  assert.equal(now.pathInfo, '');
  assert.equal(now.stats?.isFile(), true);
  // And gone again: the missing component ends the filename, the rest is path_info.
  rmSync(join(root, 'real/app.py'), { recursive: true });
  await nextTurn();
  const gone = walkPath(url, root);
  assert.equal(gone.filename, join(root, 'real/app.py'));
  assert.equal(gone.pathInfo, '/func/x');
  assert.equal(gone.stats, null);
  // A file again: found, and its path_info split off, as the first time.
  writeFileSync(join(root, 'real/app.py'), 'x');
  await nextTurn();
  for (let i = 0; i < 2; i++) {
    const back = walkPath(url, root);
    assert.equal(back.filename, join(root, 'real/app.py'));
    assert.equal(back.pathInfo, '/func/x');
    assert.equal(back.stats?.isFile(), true);
  }
});

void test('the requests of one event-loop turn share the walk stats; the next turn asks the file system again', async () => {
  const root = site();
  const file = join(root, 'real/f.txt');
  assert.equal(walkPath(file, root).stats?.size, 1);
  writeFileSync(file, 'longer');
  // Within the turn: what a request a few microseconds earlier saw.
  assert.equal(walkPath(file, root).stats?.size, 1);
  await nextTurn();
  assert.equal(walkPath(file, root).stats?.size, 6);
  rmSync(file);
  await nextTurn();
  assert.equal(walkPath(file, root).stats, null);
});
