/**
 * @module cli/version — what `-v` and `-V` print, shaped like httpd's output so scripts that
 * parse "Server version:" keep working.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APACHE_VERSION, FULL_BANNER, MODPY_VERSION } from '../http/server-banner.js';

/** This module as it runs: dist/cli/version.js once built, src/cli/version.ts under tsx. */
const THIS_FILE = fileURLToPath(import.meta.url);
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));

/**
 * "Server built:" — when the running code was built, read at run time: the modification time of
 * the first of `files` that exists (this compiled file, else package.json), in httpd's shape
 * (UTC, `YYYY-MM-DDTHH:MM:SS`). "unknown" when none can be read.
 */
export function serverBuilt(files: readonly string[] = [THIS_FILE, PACKAGE_JSON]): string {
  for (const f of files) {
    try {
      return statSync(f).mtime.toISOString().slice(0, 19);
    } catch {
      // Not there (a bundled or relocated install): try the next one.
    }
  }
  return 'unknown';
}

export function versionText(): string {
  return `Server version: ${FULL_BANNER}\nServer built:   ${serverBuilt()}\n`;
}

export function verboseVersionText(serverRoot: string, configFile: string): string {
  return (
    versionText() +
    "Server's Module Magic Number: 20120211:127\n" +
    `Server loaded:  Node.js ${process.versions.node}, modpy ${MODPY_VERSION}\n` +
    `Compiled using: Apache ${APACHE_VERSION} compatible behaviour (no compilation)\n` +
    `Architecture:   ${process.arch === 'x64' || process.arch === 'arm64' ? '64' : '32'}-bit\n` +
    'Server MPM:     modpy (one Node.js process, Python worker pools)\n' +
    '  threaded:     no\n' +
    '    forked:     yes (Python workers)\n' +
    'Server compiled with....\n' +
    ` -D HTTPD_ROOT="${serverRoot}"\n` +
    ` -D SERVER_CONFIG_FILE="${configFile}"\n`
  );
}
