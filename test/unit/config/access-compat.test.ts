/**
 * Order/Allow/Deny/Satisfy end to end: the Require lists the config layer produces, decided by
 * the auth layer's evaluator, give httpd 2.4's answers (the /t cases were checked against
 * apache2 with mod_access_compat).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, validateRequire } from '../../../src/auth/require.js';
import { dirConfigFor } from '../../../src/config/resolve.js';
import { load } from './helpers.js';

const CONF = `
<Directory /s>
  AllowOverride None
  Require all denied
</Directory>
<Directory /s/sub>
  Order allow,deny
  Allow from all
</Directory>
<Directory /s/any>
  Order allow,deny
  Allow from all
  Satisfy Any
</Directory>
<Directory /s/da>
  Order deny,allow
  Deny from all
  Allow from 10.1.1.1
  Require all granted
</Directory>
<Directory /s/denyenv>
  Require all granted
  Order deny,allow
  Deny from 127.0.0.1 env=!ok
</Directory>
<Directory /s/lim>
  Require all granted
  <Limit POST>
    Order allow,deny
  </Limit>
</Directory>
<Directory /t>
  AllowOverride None
  Order allow,deny
</Directory>
<Directory /t/satisfy-any>
  Satisfy Any
</Directory>
<Directory /t/require-granted>
  Require all granted
</Directory>
`;

void test('Order/Allow/Deny and Satisfy decide access as httpd 2.4 does', async () => {
  const cfg = await load(CONF);
  const cases: [string, string, string, Record<string, string>, string][] = [
    ['/s/sub', '127.0.0.1', 'GET', {}, 'denied'],
    ['/s/any', '127.0.0.1', 'GET', {}, 'granted'],
    ['/s/da', '127.0.0.1', 'GET', {}, 'denied'],
    ['/s/da', '10.1.1.1', 'GET', {}, 'granted'],
    ['/s/denyenv', '127.0.0.2', 'GET', { ok: '1' }, 'granted'],
    ['/s/denyenv', '127.0.0.2', 'GET', {}, 'denied'],
    ['/s/denyenv', '127.0.0.1', 'GET', { ok: '1' }, 'denied'],
    ['/s/lim', '1.1.1.1', 'GET', {}, 'granted'],
    ['/s/lim', '1.1.1.1', 'HEAD', {}, 'granted'],
    ['/s/lim', '1.1.1.1', 'POST', {}, 'denied'],
    ['/t', '127.0.0.1', 'GET', {}, 'denied'],
    ['/t/satisfy-any', '127.0.0.1', 'GET', {}, 'granted'],
    ['/t/require-granted', '127.0.0.1', 'GET', {}, 'denied'],
  ];
  for (const [dir, clientIp, method, env, expected] of cases) {
    const { config } = await dirConfigFor(cfg, cfg.main, { uri: '/', filename: `${dir}/f`, isDirectory: false });
    // Order/Allow/Deny produce these trees without the loader's Require checks: they must still
    // be ones it would accept, each in the implicit <RequireAny> of the directory's lines.
    for (const { expr } of config.require ?? []) validateRequire({ kind: 'any', children: [expr], source: expr.source });
    assert.equal(await authorize(config, { method, clientIp, user: null, env, remoteHost: null }), expected, `${method} ${dir} from ${clientIp} ${JSON.stringify(env)}`);
  }
});
