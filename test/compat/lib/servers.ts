/**
 * @module compat/lib/servers — how each server under comparison is started: the reference
 * Apache 2.4 + mod_python 3.5 (Debian packages) and modpy, both from the same site.conf.
 */
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { startProcess, waitForPorts, type ServerProcess } from './server-process.js';
import type { GroupLayout, Ports, ServerDirs, ServerKind } from './site.js';

export const APACHE_BIN = process.env['MODPY_COMPAT_APACHE_BIN'] ?? '/usr/sbin/apache2';
export const APACHE_MODULES_DIR = process.env['MODPY_COMPAT_APACHE_MODULES'] ?? '/usr/lib/apache2/modules';
const REPO = resolve(import.meta.dirname, '..', '..', '..');
export const MODPY_BIN = join(REPO, 'bin', 'modpy.js');

/** Throws a message saying what to install when the reference server is missing. */
export async function checkApacheInstalled(): Promise<void> {
  const missing: string[] = [];
  for (const f of [APACHE_BIN, join(APACHE_MODULES_DIR, 'mod_python.so'), join(APACHE_MODULES_DIR, 'mod_mpm_prefork.so')]) {
    try {
      await access(f, constants.R_OK);
    } catch {
      missing.push(f);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `the reference Apache + mod_python is not installed (missing: ${missing.join(', ')}).\n` +
        'Install it with: apt-get install -y apache2 libapache2-mod-python',
    );
  }
}

/** modpy runs from its build (bin/modpy.js imports dist/): say so instead of failing every case. */
export async function checkModpyBuilt(): Promise<void> {
  const main = join(REPO, 'dist', 'cli', 'main.js');
  try {
    await access(main, constants.R_OK);
  } catch {
    throw new Error(`modpy is not built (${main} is missing): run \`npm run build\` first, or set MODPY_COMPAT_APACHE_ONLY=1`);
  }
}

// mod_python embeds whatever python3 comes first on PATH (spec §8.1): keep pyenv shims out.
// Both servers run in UTC, so times they format (listings, logs) agree whatever the machine's zone.
const APACHE_ENV: NodeJS.ProcessEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', TZ: 'UTC' };

export async function startServer(kind: ServerKind, layout: GroupLayout, dirs: ServerDirs, ports: Ports): Promise<ServerProcess> {
  const all = [ports.main, ports.vhost, ports.conn];
  if (kind === 'apache') {
    const proc = startProcess('apache', APACHE_BIN, ['-f', dirs.conf, '-DFOREGROUND'], APACHE_ENV, dirs.dir);
    await waitForPorts(proc, all, 15_000);
    return proc;
  }
  const proc = startProcess('modpy', process.execPath, [MODPY_BIN, '-f', dirs.conf, '-DFOREGROUND'], { ...process.env, TZ: 'UTC' }, layout.root);
  await waitForPorts(proc, all, 30_000);
  return proc;
}
