/**
 * @module cli/version — what `-v` and `-V` print, shaped like httpd's output so scripts that
 * parse "Server version:" keep working.
 */
import { APACHE_VERSION, FULL_BANNER, MODPY_VERSION } from '../http/server-banner.js';

/** Build date: modpy is not compiled, so this is the package's version date of record. */
export const SERVER_BUILT = '2026-11-25T00:00:00';

export function versionText(): string {
  return `Server version: ${FULL_BANNER}\nServer built:   ${SERVER_BUILT}\n`;
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
