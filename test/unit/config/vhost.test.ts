import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectVirtualHost } from '../../../src/config/resolve.js';
import { load } from './helpers.js';

const CONF = `
ServerName main.test
Listen 8080
Listen 8081
Listen 127.0.0.2:8082
<VirtualHost *:8080>
  ServerName first.test
</VirtualHost>
<VirtualHost *:8080>
  ServerName second.test
  ServerAlias www.second.test *.wild.test
</VirtualHost>
<VirtualHost 127.0.0.2:8080>
  ServerName exact.test
</VirtualHost>
<VirtualHost 127.0.0.2:8080>
  ServerName exact2.test
</VirtualHost>
<VirtualHost *>
  ServerName anyport.test
</VirtualHost>
<VirtualHost [::1]:8081>
  ServerName v6.test
</VirtualHost>
`;

void test('virtual host selection: address first, then Host, then the first vhost of the address', async () => {
  const cfg = await load(CONF);
  const cases: [string, number, string | undefined, string][] = [
    ['127.0.0.1', 8080, 'second.test', 'second.test'],
    ['127.0.0.1', 8080, 'SECOND.test:8080', 'second.test'],
    ['127.0.0.1', 8080, 'second.test.', 'second.test'],
    ['127.0.0.1', 8080, 'www.second.test', 'second.test'],
    ['127.0.0.1', 8080, 'deep.a.wild.test', 'second.test'],
    ['127.0.0.1', 8080, 'unknown.test', 'first.test'],
    ['127.0.0.1', 8080, undefined, 'first.test'],
    // An exact address match excludes the wildcard vhosts, even for their names.
    ['127.0.0.2', 8080, 'second.test', 'exact.test'],
    ['127.0.0.2', 8080, 'exact2.test', 'exact2.test'],
    ['::ffff:127.0.0.2', 8080, 'exact2.test', 'exact2.test'],
    // Port-specific: no *:8082 vhost, but <VirtualHost *> has any port.
    ['127.0.0.2', 8082, 'x', 'anyport.test'],
    ['::1', 8081, 'v6.test', 'v6.test'],
    ['127.0.0.1', 8081, 'v6.test', 'anyport.test'],
  ];
  for (const [addr, port, host, expected] of cases) {
    assert.equal(selectVirtualHost(cfg, addr, port, host).serverName, expected, `${addr}:${port} Host ${host}`);
  }
});

void test('with no vhost for the address and port, the main server answers', async () => {
  const cfg = await load('ServerName main.test\nListen 9000\nListen 9001\n<VirtualHost *:9000>\nServerName v.test\n</VirtualHost>');
  assert.equal(selectVirtualHost(cfg, '127.0.0.1', 9001, 'v.test'), cfg.main);
  assert.equal(selectVirtualHost(cfg, '127.0.0.1', 9000, 'other').serverName, 'v.test');
});

void test('a vhost\'s names are normalised as Host headers are: case, port, trailing dot, wildcards', async () => {
  const { hostNames, hostNamesMatch, normalizeHost } = await import('../../../src/config/host.js');
  const names = hostNames('Main.Example.ORG:8080', ['WWW.example.org.', 'img?.example.org', '*.cdn.example.org', '[::1]:80']);
  const matches = (host: string) => hostNamesMatch(names, normalizeHost(host));
  for (const host of ['main.example.org', 'MAIN.example.org:80', 'www.example.org', 'www.example.org.', 'img1.example.org', 'a.b.cdn.example.org', '[::1]']) {
    assert.equal(matches(host), true, host);
  }
  for (const host of ['example.org', 'img12.example.org', 'cdn.example.org', 'other.test']) {
    assert.equal(matches(host), false, host);
  }
  assert.deepEqual([...names.exact], ['main.example.org', 'www.example.org', '::1']);
  assert.equal(names.patterns.length, 2);
});
