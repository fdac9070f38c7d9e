/**
 * @module http/server-banner — the version strings modpy presents: the `Server:` header per
 * ServerTokens, `-v` output and the ServerSignature line. modpy answers as an Apache 2.4
 * compatible server so tools that parse the banner keep working.
 */
import { readFileSync } from 'node:fs';

/** The Apache release whose behaviour modpy reproduces. */
export const APACHE_VERSION = '2.4.71';

function readPackageVersion(): string {
  try {
    // src/http → ../../package.json, and the same from dist/http.
    const url = new URL('../../package.json', import.meta.url);
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const MODPY_VERSION = readPackageVersion();

/** "Apache/2.4.71 (compatible; modpy/0.1.0)" — what `-v` prints and ServerTokens Full sends. */
export const FULL_BANNER = `Apache/${APACHE_VERSION} (compatible; modpy/${MODPY_VERSION})`;

export type ServerTokens = 'Full' | 'OS' | 'Minimal' | 'Minor' | 'Major' | 'Prod';

/** The `Server:` header value for a ServerTokens setting (mod core's ap_get_server_banner). */
export function serverBanner(tokens: ServerTokens): string {
  const [major, minor] = APACHE_VERSION.split('.');
  switch (tokens) {
    case 'Prod':
      return 'Apache';
    case 'Major':
      return `Apache/${major}`;
    case 'Minor':
      return `Apache/${major}.${minor}`;
    case 'Minimal':
      return `Apache/${APACHE_VERSION}`;
    case 'OS':
      return `Apache/${APACHE_VERSION} (Unix)`;
    default:
      return FULL_BANNER;
  }
}
