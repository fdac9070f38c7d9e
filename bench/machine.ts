/**
 * @module bench/machine — what the numbers were measured on: cores, memory, kernel, and the
 * versions of every server in the table.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { MachineInfo } from './results.js';

function quiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

const PACKAGES = ['apache2', 'libapache2-mod-python', 'libapache2-mod-wsgi-py3', 'wrk', 'python3'];

export function machineInfo(repoDir: string): MachineInfo {
  const versions: Record<string, string> = {};
  for (const p of PACKAGES) {
    const v = quiet('dpkg-query', ['-W', '-f=${Version}', p]);
    if (v) versions[p] = v;
  }
  versions.node = process.version;
  const py = quiet('python3', ['--version']);
  if (py) versions['python3 (PATH, modpy workers)'] = py.replace(/^Python /, '');
  const rev = quiet('git', ['-C', repoDir, 'rev-parse', '--short', 'HEAD']);
  if (rev) versions.modpy = `git ${rev}`;
  const osRelease = (() => {
    try {
      return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
    } catch {
      return '';
    }
  })();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(os.totalmem() / 2 ** 20),
    kernel: os.release(),
    os: osRelease,
    versions,
  };
}
