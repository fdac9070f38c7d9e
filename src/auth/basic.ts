/**
 * @module auth/basic — HTTP Basic authentication (mod_auth_basic + mod_authn_file): decode the
 * Authorization header and check the user against AuthUserFile.
 */
import type { DirConfig } from '../config/types.js';
import { createError } from '../errors.js';
import { HtpasswdFile } from './htpasswd.js';

export interface BasicCredentials {
  /** Latin-1 decoded, as Apache/mod_python give req.user. */
  user: string;
  /** Latin-1 decoded; `passwordBytes` has the exact bytes. */
  password: string;
  passwordBytes: Buffer;
}

export interface BasicResult {
  user: string | null;
  ok: boolean;
  /** Why it failed, for the error log (Apache's AH01617/AH01618 wording). */
  reason?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes "Basic base64(user:password)". Returns null for a missing header, another scheme, bad
 * base64, or no colon. The user may not contain ':'; the password may.
 */
export function parseBasicAuthorization(authorization: string | undefined): BasicCredentials | null {
  if (authorization === undefined) return null;
  const m = /^\s*basic\s+(\S+)\s*$/i.exec(authorization);
  if (!m || !BASE64.test(m[1] as string)) return null;
  const raw = Buffer.from(m[1] as string, 'base64');
  const colon = raw.indexOf(0x3a);
  if (colon < 0) return null;
  const passwordBytes = raw.subarray(colon + 1);
  return { user: raw.subarray(0, colon).toString('latin1'), password: passwordBytes.toString('latin1'), passwordBytes };
}

/**
 * Authenticates a request with AuthType Basic against the directory's AuthUserFile.
 * `user` is set whenever credentials were readable (as Apache sets r->user before checking).
 * @throws MPY_ERR_AUTH_USER_FILE when AuthUserFile is unset or unreadable (a 500, as in Apache)
 */
export async function authenticateBasic(dir: DirConfig, authorization: string | undefined): Promise<BasicResult> {
  const creds = parseBasicAuthorization(authorization);
  if (!creds) {
    return { user: null, ok: false, reason: authorization === undefined ? 'no credentials' : 'malformed Basic credentials' };
  }
  if (!dir.authUserFile) throw createError('AUTH_USER_FILE', 'AuthUserFile is not set');
  const file = await HtpasswdFile.load(dir.authUserFile);
  if (!file.has(creds.user)) {
    return { user: creds.user, ok: false, reason: `user ${creds.user} not found` };
  }
  if (!(await file.check(creds.user, creds.passwordBytes))) {
    return { user: creds.user, ok: false, reason: `user ${creds.user}: authentication failure: Password Mismatch` };
  }
  return { user: creds.user, ok: true };
}
