/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * The modpy command line: -t (good and broken configs, httpd's error shape), -v, -k start /
 * -k stop with the PidFile (stop waits until the server and its workers are gone),
 * `modpy serve DIR --port N` (static + publisher), `modpy config --json`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_ENTRY, REPO_ROOT, freePort } from '../../helpers/live-server.js';

function modpy(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('modpy command line', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'modpy-cli-'));
    await mkdir(join(root, 'conf'));
    await mkdir(join(root, 'logs'));
    await mkdir(join(root, 'htdocs'));
    await writeFile(join(root, 'htdocs', 'index.html'), 'cli home');
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function writeConf(name: string, port: number, extra = ''): Promise<string> {
    const file = join(root, 'conf', name);
    await writeFile(
      file,
      `Listen 127.0.0.1:${port}\nServerName 127.0.0.1\nDocumentRoot ${root}/htdocs\nErrorLog logs/error_log\nPidFile logs/modpy.pid\n${extra}`,
    );
    return file;
  }

  it('-t says "Syntax OK" for a good configuration', async () => {
    const conf = await writeConf('good.conf', 1);
    const r = modpy(['-d', root, '-f', conf, '-t']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr.trim(), 'Syntax OK');
  });

  it('-t names file and line of a broken configuration and exits 1', async () => {
    const conf = await writeConf('bad.conf', 1, 'NoSuchDirective on\n');
    const r = modpy(['-t', '-f', conf, '-d', root]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`AH00526: Syntax error on line 6 of ${conf.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\nInvalid command 'NoSuchDirective'`));
  });

  it('-v prints the version banner', () => {
    const r = modpy(['-v']);
    assert.equal(r.status, 0);
    const [first, second] = r.stdout.split('\n');
    assert.match(first ?? '', /^Server version: Apache\/2\.4\.71 \(compatible; modpy\/\d+\.\d+\.\d+\)$/);
    assert.match(second ?? '', /^Server built: /);
  });

  it('config --json prints the loaded configuration', async () => {
    const conf = await writeConf('json.conf', 8080);
    const r = modpy(['config', '--json', '-f', conf, '-d', root]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout), 'the output is JSON');
    assert.match(r.stdout, /8080/);
  });

  it('-k start detaches and writes the PidFile; -k stop waits until it is gone', async () => {
    const port = await freePort();
    const conf = await writeConf('daemon.conf', port);
    const start = modpy(['-d', root, '-f', conf, '-k', 'start']);
    assert.equal(start.status, 0, start.stderr);
    const pidFile = join(root, 'logs', 'modpy.pid');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(alive(pid), 'the server runs after -k start returned');
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(await res.text(), 'cli home');
    const again = modpy(['-d', root, '-f', conf, '-k', 'start']);
    assert.match(again.stderr, /already running/);
    const stop = modpy(['-d', root, '-f', conf, '-k', 'stop']);
    assert.equal(stop.status, 0, stop.stderr);
    assert.equal(alive(pid), false, 'the server is gone when -k stop returns');
    assert.equal(existsSync(pidFile), false, 'the PidFile was removed');
    assert.match(readFileSync(join(root, 'logs', 'error_log'), 'utf8'), /MPY0003: caught SIGTERM, shutting down[\s\S]*MPY0004: shutdown complete/);
  });

  it('-k start reports a port already in use and exits 1', async () => {
    const port = await freePort();
    const blocker = (await import('node:net')).createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const conf = await writeConf('busy.conf', port);
      const r = modpy(['-d', root, '-f', conf, '-k', 'start']);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /Address already in use: AH00072: make_sock: could not bind to address 127\.0\.0\.1:\d+/);
    } finally {
      blocker.close();
    }
  });

  it('serve DIR --port N serves static files and publisher pages without a config', async () => {
    const site = join(root, 'site');
    await mkdir(site);
    await writeFile(join(site, 'index.html'), 'served');
    await writeFile(join(site, '.htpasswd'), 'admin:secret\n');
    await writeFile(join(site, 'pub.py'), 'def index(req):\n    return "published"\n\ndef hi(req, name="x"):\n    return "hi " + name\n');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'serve', site, '--port', String(port)], { cwd: REPO_ROOT, stdio: 'ignore' });
    try {
      let text = '';
      for (let i = 0; i < 100 && text === ''; i++) {
        try {
          text = await (await fetch(`http://127.0.0.1:${port}/`)).text();
        } catch {
          await sleep(50);
        }
      }
      assert.equal(text, 'served');
      const pub = await fetch(`http://127.0.0.1:${port}/pub.py/hi?name=modpy`);
      assert.equal(pub.status, 200);
      assert.equal(await pub.text(), 'hi modpy');
      const secret = await fetch(`http://127.0.0.1:${port}/.htpasswd`);
      assert.equal(secret.status, 403, '.ht* files are not served');
      assert.doesNotMatch(await secret.text(), /secret/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('serve refuses a --host or DIR that would inject configuration', () => {
    const badHost = modpy(['serve', root, '--host', '127.0.0.1\nPythonImport os main_interpreter']);
    assert.equal(badHost.status, 1);
    assert.match(badHost.stderr, /--host must be an IP address or a host name/);
    const badDir = modpy(['serve', `${root}\nListen 127.0.0.1:1`]);
    assert.equal(badDir.status, 1);
    assert.match(badDir.stderr, /directory name contains a control character/);
  });
});
