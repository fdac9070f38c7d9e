/**
 * @module compat/cases/head-sync — what the response head is built from when a handler changed
 * the request and then wrote: Apache's header filter (mod_headers' Header, the byte-range
 * filter) runs when the first bytes leave, with r->subprocess_env and r->headers_in as the
 * handler left them. modpy gets the same by sending the phase's changes with response.head
 * (docs/protocol.md, "What a phase changed").
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { py } from './helpers.js';

const HEADERS = `
  Header set X-Env-Cond "yes" env=HEAD_VAR
  Header set X-Env-Val "%{HEAD_VAL}e"
  Header echo ^X-Echo-
`;

const compare = { headers: ['x-env-cond', 'x-env-val', 'x-echo-me'] };

const cases: CompatCase[] = [
  py('head-sync-env-flushed-write', 'tables', `
    def handler(req):
        req.subprocess_env['HEAD_VAR'] = '1'
        req.subprocess_env['HEAD_VAL'] = 'from-handler'
        req.content_type = 'text/plain'
        req.write('streamed')
        req.write(' more')
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { dir: HEADERS, compare }),
  py('head-sync-env-buffered-write', 'tables', `
    def handler(req):
        req.subprocess_env['HEAD_VAR'] = '1'
        req.subprocess_env['HEAD_VAL'] = 'from-handler'
        req.content_type = 'text/plain'
        req.write('buffered', 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { dir: HEADERS, compare }),
  py('head-sync-env-after-head', 'tables', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('early')
        req.subprocess_env['HEAD_VAR'] = '1'
        req.subprocess_env['HEAD_VAL'] = 'too-late'
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { dir: HEADERS, compare }),
  py('head-sync-headers-in', 'tables', `
    def handler(req):
        del req.headers_in['Range']
        req.headers_in['X-Echo-Me'] = 'echoed'
        req.content_type = 'text/plain'
        req.write('0123456789', 0)
        return apache.OK
  `, [{ path: '@/x', headers: { Range: 'bytes=2-4' }, status: 200 }], { dir: HEADERS, compare }),
];

export const headSyncGroup: CaseGroup = { name: 'head-sync', cases };
