/**
 * @module bench/install — installs the peers from Debian when they are missing (apt-get, as
 * root). Debian's postinst may start the system apache2 on port 80: it is not ours and is
 * left alone (every bench server has its own port on 127.0.0.1).
 */
import { execFileSync } from 'node:child_process';
import { createError } from '../src/errors.js';

export const PEER_PACKAGES = ['apache2', 'libapache2-mod-python', 'libapache2-mod-wsgi-py3', 'wrk'];

function installed(pkg: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('install ok installed');
  } catch {
    return false;
  }
}

/** Returns the packages it installed ([] when all were there). */
export function ensurePeers(log: (msg: string) => void): string[] {
  const missing = PEER_PACKAGES.filter((p) => !installed(p));
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) throw createError('BENCH_SETUP', `missing Debian packages: ${missing.join(' ')} (run as root, or: sudo apt-get install ${missing.join(' ')})`);
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, stdio: 'ignore' });
  } catch (err) {
    throw createError('BENCH_SETUP', `apt-get install ${missing.join(' ')} failed: ${(err as Error).message}`);
  }
  const still = missing.filter((p) => !installed(p));
  if (still.length > 0) throw createError('BENCH_SETUP', `still missing after apt-get: ${still.join(' ')}`);
  return missing;
}
