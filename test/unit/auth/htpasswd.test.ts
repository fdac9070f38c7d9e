/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HtpasswdFile, verifyPassword } from '../../../src/auth/htpasswd.js';
import { md5Crypt } from '../../../src/auth/md5-crypt.js';
import { shaCrypt } from '../../../src/auth/sha-crypt.js';
import { ModpyError } from '../../../src/errors.js';

/** users.htpasswd was written by Debian's htpasswd (apache2-utils): -B, -m, -s, -d, -2, -5. */
const FIXTURE = fileURLToPath(new URL('./fixtures/users.htpasswd', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modpy-htpasswd-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const USERS: [user: string, scheme: string, password: string][] = [
  ['alice', 'bcrypt $2y$ cost 5', 'wonder land'],
  ['bob', 'apr1', 'b0b-secret'],
  ['carol', '{SHA}', 'carol:pw'],
  ['dave', 'crypt DES', 'davepass'],
  ['erin', 'apr1, UTF-8 password', 'ünïcödé'],
  ['frank', 'bcrypt, one-char password', 'f'],
  ['gina', 'apr1, empty password', ''],
  ['hank', 'SHA-256-crypt', 'sha256 pass'],
  ['ivy', 'SHA-512-crypt', 'sha512-pass'],
  ['jack', 'SHA-512-crypt rounds=1234', 'rounds!'],
];

describe('HtpasswdFile with htpasswd-generated lines', () => {
  for (const [user, scheme, password] of USERS) {
    it(`${user} (${scheme}): accepts the right password, refuses near misses`, async () => {
      const file = await HtpasswdFile.load(FIXTURE);
      assert.equal(file.has(user), true);
      assert.equal(await file.check(user, password), true, 'right password');
      assert.equal(await file.check(user, password), true, 'right password again (cached path)');
      const lastChanged = password === '' ? 'x' : `${password.slice(0, -1)}${password.endsWith('Z') ? 'Y' : 'Z'}`;
      assert.equal(await file.check(user, lastChanged), false, 'last char changed');
      if (!scheme.includes('DES')) assert.equal(await file.check(user, `${password}x`), false, 'extra char');
      assert.equal(await file.check(user, password.toUpperCase() === password ? `${password}Y` : password.toUpperCase()), false, 'case');
    });
  }

  it('compares bytes: a UTF-8 password given as raw bytes matches, its latin-1 reading does not', async () => {
    const file = await HtpasswdFile.load(FIXTURE);
    const bytes = Buffer.from('ünïcödé', 'utf8');
    assert.equal(await file.check('erin', bytes), true);
    assert.equal(await file.check('erin', Buffer.from('ünïcödé', 'latin1')), false);
  });

  it('DES crypt only looks at the first 8 characters, like crypt(3)', async () => {
    const file = await HtpasswdFile.load(FIXTURE);
    assert.equal(await file.check('dave', 'davepass-and-more'), true);
  });

  it('unknown users never match', async () => {
    const file = await HtpasswdFile.load(FIXTURE);
    assert.equal(file.has('mallory'), false);
    assert.equal(await file.check('mallory', 'x'), false);
  });

  it('re-reads the file when it changes and keeps the first line of a user', async () => {
    const p = path.join(tmp, 'changing');
    fs.writeFileSync(p, `# comment\n\nzed:{SHA}${sha1('one')}\nzed:{SHA}${sha1('shadowed')}\n`);
    const first = await HtpasswdFile.load(p);
    assert.equal(await first.check('zed', 'one'), true);
    assert.equal(await first.check('zed', 'shadowed'), false);
    assert.equal(await HtpasswdFile.load(p), first, 'unchanged file: same object');
    fs.writeFileSync(p, `zed:{SHA}${sha1('two')}:extra:fields\n`);
    fs.utimesSync(p, new Date(), new Date(Date.now() + 5000));
    const second = await HtpasswdFile.load(p);
    assert.notEqual(second, first);
    assert.equal(await second.check('zed', 'two'), true);
    assert.equal(await second.check('zed', 'one'), false);
  });

  it('a missing file is MPY_ERR_AUTH_USER_FILE naming the path', async () => {
    await assert.rejects(HtpasswdFile.load(path.join(tmp, 'nope')), (err: unknown) => err instanceof ModpyError && err.code === 'MPY_ERR_AUTH_USER_FILE' && err.message.includes('nope'));
  });
});

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('base64');
}

describe('verifyPassword', () => {
  const table: [string, string, boolean][] = [
    ['{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'password', true],
    ['{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'Password', false],
    ['password', 'password', false], // plain text: refused, as Apache on Unix
    ['$apr1$short', 'x', false],
    ['$2y$05$tooshort', 'x', false],
    ['$y$j9T$abc$def', 'x', false], // yescrypt: unknown scheme, never a match
    ['', '', false],
    ['$1$abcdefgh$IQtUouv7y7Q9dRWkQEPCc.', 'pw', true], // glibc MD5-crypt (Python's crypt module)
    ['$5$rounds=1000$abc$UxKib5kobt2BZp/yfOEWbjik.BPMiS9MzbXyO6zXMC0', 'x', true], // from glibc via Python
    ['$6$rounds=10$salt$anything', 'x', false], // rounds below 1000: libxcrypt refuses, so do we
  ];
  for (const [hash, password, expected] of table) {
    it(`${JSON.stringify(hash)} vs ${JSON.stringify(password)} → ${expected}`, async () => {
      assert.equal(await verifyPassword(hash, password), expected);
    });
  }

  it('bcrypt $2a$/$2b$ prefixes verify too', async () => {
    const y = '$2y$05$BoWcS2DLuSTqd1iCOeB3QuC3bwVNlmp3A4SmnRqD/mMknxa5YJTmW';
    assert.equal(await verifyPassword(`$2a$${y.slice(4)}`, 'wonder land'), true);
    assert.equal(await verifyPassword(`$2b$${y.slice(4)}`, 'wonder land'), true);
  });
});

describe('the crypt algorithms directly', () => {
  it('md5Crypt reproduces htpasswd -m output', () => {
    assert.equal(md5Crypt(Buffer.from('b0b-secret'), '.P1LEB7Q', '$apr1$'), '$apr1$.P1LEB7Q$IaDypOoE0oN4T7qznyPNA/');
  });
  it('shaCrypt keeps an explicit rounds= in its output and refuses malformed settings', () => {
    assert.match(shaCrypt(Buffer.from('x'), '$5$rounds=1000$abc$') ?? '', /^\$5\$rounds=1000\$abc\$/);
    assert.equal(shaCrypt(Buffer.from('x'), '$7$abc$'), null);
  });
});
