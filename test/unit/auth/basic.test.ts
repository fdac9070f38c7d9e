/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { authenticateBasic, parseBasicAuthorization } from '../../../src/auth/basic.js';
import type { DirConfig } from '../../../src/config/types.js';
import { ModpyError } from '../../../src/errors.js';

const dir: DirConfig = { authType: 'Basic', authName: 'Area', authUserFile: fileURLToPath(new URL('./fixtures/users.htpasswd', import.meta.url)) };
const basic = (userPass: string | Buffer): string => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('decodes user and password as latin-1 and keeps the password bytes', () => {
    const creds = parseBasicAuthorization(basic(Buffer.from('jürgen:pä:ss', 'utf8')));
    assert.equal(creds?.user, 'j\u00c3\u00bcrgen', 'UTF-8 bytes read as latin-1, as mod_python gives req.user');
    assert.equal(creds?.password, 'p\u00c3\u00a4:ss', 'the password may contain ":"');
    assert.deepEqual(creds?.passwordBytes, Buffer.from('pä:ss', 'utf8'));
  });
  const invalid: [string, string | undefined][] = [
    ['no header', undefined],
    ['another scheme', 'Bearer abc'],
    ['no colon', basic('justuser')],
    ['not base64', 'Basic ***'],
    ['empty', 'Basic '],
  ];
  for (const [what, header] of invalid) {
    it(`returns null for ${what}`, () => assert.equal(parseBasicAuthorization(header), null));
  }
  it('accepts a lower-case scheme and surrounding spaces', () => {
    assert.equal(parseBasicAuthorization(`  basic ${Buffer.from('a:b').toString('base64')} `)?.user, 'a');
  });
});

describe('authenticateBasic', () => {
  const table: [string, string | undefined, { user: string | null; ok: boolean; reason?: string }][] = [
    ['right password', basic('bob:b0b-secret'), { user: 'bob', ok: true }],
    ['UTF-8 password bytes', basic(Buffer.from('erin:ünïcödé', 'utf8')), { user: 'erin', ok: true }],
    ['wrong password', basic('bob:nope'), { user: 'bob', ok: false, reason: 'user bob: authentication failure: Password Mismatch' }],
    ['unknown user', basic('mallory:x'), { user: 'mallory', ok: false, reason: 'user mallory not found' }],
    ['no header', undefined, { user: null, ok: false, reason: 'no credentials' }],
    ['garbage', 'Basic !!', { user: null, ok: false, reason: 'malformed Basic credentials' }],
  ];
  for (const [what, header, expected] of table) {
    it(what, async () => assert.deepEqual(await authenticateBasic(dir, header), expected));
  }
  it('without AuthUserFile it is a server error (MPY_ERR_AUTH_USER_FILE)', async () => {
    await assert.rejects(authenticateBasic({ authType: 'Basic' }, basic('a:b')), (err: unknown) => err instanceof ModpyError && err.code === 'MPY_ERR_AUTH_USER_FILE' && err.status === 500);
  });
});
