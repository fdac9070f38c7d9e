/**
 * @module pipeline/content — the content handler choice: Python for `mod_python` /
 * `python-program` (the phase row runs it), everything else — and a Python DECLINED — is
 * Apache's default handler: static files, directories, listings.
 */
import { serveStatic } from '../static/serve-static.js';
import type { RequestRecord } from './request-record.js';
import { APLOG } from '../logs/log-level.js';

export function contentStep(rec: RequestRecord): Promise<number> {
  if (rec.scriptAliased) {
    // Apache without mod_cgi sends a ScriptAlias'd program's source as a file; modpy runs no
    // CGI programs, and refuses rather than leak their source (and any secret in it).
    rec.log(APLOG.ERR, `${rec.s.filename ?? rec.s.uri} is under a ScriptAlias, but modpy does not run CGI programs (mod_cgi); refusing to send it (use mod_python.cgihandler)`, 'core');
    return Promise.resolve(403);
  }
  return serveStatic(rec);
}
