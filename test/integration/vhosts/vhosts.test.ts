/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Name-based virtual hosts: the Host header picks the vhost (ServerName, ServerAlias), an
 * unknown name gets the first vhost of the address, another Listen port has its own vhost, and
 * each vhost's Python runs in the interpreter named after its ServerName.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const CONFIG = `
Listen 127.0.0.1:{{PORT0}}
Listen 127.0.0.1:{{PORT1}}
PythonPath "sys.path+['{{ROOT}}/py']"
<Location /who>
  SetHandler mod_python
  PythonHandler whoami
</Location>
<VirtualHost 127.0.0.1:{{PORT0}}>
  ServerName alpha.test
  ServerAlias www.alpha.test *.wild.test
  DocumentRoot {{ROOT}}/alpha
</VirtualHost>
<VirtualHost 127.0.0.1:{{PORT0}}>
  ServerName beta.test
  DocumentRoot {{ROOT}}/beta
</VirtualHost>
<VirtualHost *:{{PORT1}}>
  ServerName gamma.test
  DocumentRoot {{ROOT}}/gamma
</VirtualHost>
`;

function get(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('virtual hosts', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: CONFIG,
      ports: 2,
      files: {
        'alpha/index.html': 'alpha',
        'beta/index.html': 'beta',
        'gamma/index.html': 'gamma',
        'py/whoami.py': readFileSync(join(import.meta.dirname, 'whoami.py')),
      },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  it('chooses the vhost by Host: ServerName, ServerAlias, wildcard alias, port in Host', async () => {
    const [p0] = srv.ports as [number, number];
    assert.equal((await get(p0, 'alpha.test', '/')).body, 'alpha');
    assert.equal((await get(p0, 'beta.test', '/')).body, 'beta');
    assert.equal((await get(p0, 'BETA.test:' + p0, '/')).body, 'beta', 'host names compare case-insensitively, the port is ignored');
    assert.equal((await get(p0, 'www.alpha.test', '/')).body, 'alpha');
    assert.equal((await get(p0, 'x.wild.test', '/')).body, 'alpha');
  });

  it('gives an unknown name the first vhost of the address, and another port its own vhost', async () => {
    const [p0, p1] = srv.ports as [number, number];
    assert.equal((await get(p0, 'nobody.test', '/')).body, 'alpha');
    assert.equal((await get(p1, 'alpha.test', '/')).body, 'gamma');
  });

  it("runs each vhost's Python in the interpreter named after its ServerName", async () => {
    const [p0, p1] = srv.ports as [number, number];
    assert.deepEqual(await get(p0, 'alpha.test', '/who'), { status: 200, body: 'alpha.test alpha.test' });
    assert.deepEqual(await get(p0, 'beta.test', '/who'), { status: 200, body: 'beta.test beta.test' });
    assert.deepEqual(await get(p1, 'whatever', '/who'), { status: 200, body: 'gamma.test gamma.test' });
  });
});
