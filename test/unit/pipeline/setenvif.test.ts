/** mod_setenvif at request time: attribute values, matching, $N substitution and the
 *  subprocess_env table updates (apr_table_setn / apr_table_unset semantics). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirConfig, SetEnvIfRule } from '../../../src/config/types.js';
import type { RequestRecord } from '../../../src/pipeline/request-record.js';
import { runSetEnvIf, setEnvIfHeaderParser, setEnvIfPostReadRequest, substituteGroups } from '../../../src/pipeline/setenvif.js';
import { load } from '../config/helpers.js';

interface Fake {
  headers?: [string, string][];
  env?: [string, string][];
  uri?: string;
  method?: string;
  dir?: DirConfig;
}

/** Just what pipeline/setenvif reads and writes. */
function fakeRec(f: Fake): RequestRecord & { sets: number } {
  const s = { uri: f.uri ?? '/u', subprocess_env: f.env ?? [], headers_in: f.headers ?? [] };
  const rec = {
    sets: 0,
    s,
    dir: f.dir ?? {},
    method: f.method ?? 'GET',
    ex: { conn: { clientIp: '10.0.0.7', localIp: '10.0.0.1' } },
    head: () => ({ protocol: 'HTTP/1.1' }),
    sync: {
      set(key: string, value: [string, string][]) {
        assert.equal(key, 'subprocess_env');
        s.subprocess_env = value;
        rec.sets++;
      },
    },
  };
  return rec as unknown as RequestRecord & { sets: number };
}

async function rules(text: string): Promise<readonly SetEnvIfRule[]> {
  return (await load(text)).main.dirDefaults.setEnvIf ?? [];
}

async function envAfter(text: string, f: Fake): Promise<[string, string][]> {
  const rec = fakeRec(f);
  runSetEnvIf(rec, await rules(text));
  return rec.s.subprocess_env;
}

void test('special attributes read the connection and the request line', async () => {
  const env = await envAfter(
    [
      'SetEnvIf Remote_Addr ^10\\.0\\.0\\.7$ RA',
      'SetEnvIf Remote_Host ^10\\.0\\.0\\.7$ RH',
      'SetEnvIf Server_Addr ^10\\.0\\.0\\.1$ SA',
      'SetEnvIf Request_Method ^POST$ RM',
      'SetEnvIf Request_Protocol ^HTTP/1\\.1$ RP',
      'SetEnvIf Request_URI ^/a%20b$ RU',
    ].join('\n'),
    { method: 'POST', uri: '/a%20b' },
  );
  assert.deepEqual(env, [['RA', '1'], ['RH', '1'], ['SA', '1'], ['RM', '1'], ['RP', '1'], ['RU', '1']]);
});

void test('$0..$9 take the groups (unmatched ones empty), \\c is c; a plain-substring rule keeps $1 as written', async () => {
  const env = await envAfter('SetEnvIf X-A "^(\\w+)-(\\w+)$" P=$2-$1 W=<$0> E=\\$1 N=[$7]\nSetEnvIf X-A foo L=$1', { headers: [['x-a', 'foo-bar']] });
  assert.deepEqual(env, [['P', 'bar-foo'], ['W', '<foo-bar>'], ['E', '$1'], ['N', '[]'], ['L', '$1']]);
  const groups = /(a)(b)?/.exec('a') as RegExpExecArray;
  assert.equal(substituteGroups('$1$2$', groups), 'a$', 'a trailing $ stays');
});

void test('a missing header matches ^$; headers win over variables of the same name', async () => {
  const env = await envAfter('SetEnvIf X-None ^$ EMPTY\nSetEnvIf Shared ^header$ FROM_HEADER\nSetEnvIf ONLY_ENV ^v$ FROM_ENV', {
    headers: [['Shared', 'header']],
    env: [['shared', 'variable'], ['only_env', 'v']],
  });
  assert.deepEqual(env.slice(2), [['EMPTY', '1'], ['FROM_HEADER', '1'], ['FROM_ENV', '1']]);
});

void test('a header-name regex takes the last matching header; SetEnvIfNoCase ignores case in the value', async () => {
  const env = await envAfter('SetEnvIf ^X-R (.+) LAST=$1\nSetEnvIfNoCase X-A ^FOO NC\nSetEnvIf X-A ^FOO CS', {
    headers: [['X-R1', 'one'], ['X-A', 'foo'], ['X-R2', 'two']],
  });
  assert.deepEqual(env, [['LAST', 'two'], ['NC', '1']]);
});

void test('setting replaces in place (keeping the first spelling, dropping duplicates); !var removes every entry', async () => {
  const env = await envAfter('SetEnvIf X . a=new !gone', {
    headers: [['X', 'x']],
    env: [['A', 'old'], ['keep', '1'], ['a', 'dup'], ['GONE', '1'], ['gone', '2']],
  });
  assert.deepEqual(env, [['A', 'new'], ['keep', '1']]);
});

void test('a run of rules on the same attribute reads it once, as httpd does (a variable set by the run is not seen)', async () => {
  const env = await envAfter('SetEnvIf V ^$ V=set\nSetEnvIf V set SEEN\nBrowserMatch ^$ UA\nSetEnvIf V set SEEN_LATER', {});
  assert.deepEqual(env, [['V', 'set'], ['UA', '1'], ['SEEN_LATER', '1']]);
});

void test('no match leaves subprocess_env untouched', async () => {
  const rec = fakeRec({ env: [['K', 'v']] });
  runSetEnvIf(rec, await rules('SetEnvIf X-None . A'));
  assert.equal(rec.sets, 0);
  assert.deepEqual(rec.s.subprocess_env, [['K', 'v']]);
});

void test('post_read_request runs the server-level rules, header_parser the directory ones', async () => {
  const cfg = await load('SetEnvIf Request_URI . SERVER\n<Directory /d>\nSetEnvIf Request_URI . DIR\n</Directory>');
  const dir: DirConfig = { setEnvIf: [...(cfg.main.dirDefaults.setEnvIf ?? []), ...(cfg.main.sections[0]?.config.setEnvIf ?? [])] };
  const names = (rec: RequestRecord) => rec.s.subprocess_env.map(([k]) => k);
  const first = fakeRec({ dir });
  setEnvIfPostReadRequest(first);
  assert.deepEqual(names(first), ['SERVER']);
  setEnvIfHeaderParser(first);
  assert.deepEqual(names(first), ['SERVER', 'DIR']);
  const withEnv = fakeRec({ dir, env: [['REDIRECT_URL', '/x']] });
  setEnvIfPostReadRequest(withEnv);
  setEnvIfHeaderParser(withEnv);
  assert.deepEqual(names(withEnv), ['REDIRECT_URL', 'SERVER', 'DIR']);
});
