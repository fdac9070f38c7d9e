/**
 * @module compat/cases/tables — mp_table semantics (spec §4.2): case-insensitive keys, add and
 * multi-values, the dict API, conversions, and the live request tables.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { py, reprCase } from './helpers.js';

const T = (name: string, exprs: string[]): CompatCase => reprCase(name, 'tables', exprs, [{ path: '@/t', status: 200 }]);

const cases: CompatCase[] = [
  T('table-case-insensitive', [
    "(lambda t: (t.__setitem__('Foo', 'a'), t['FOO'], t.get('foo'), 'fOO' in t, list(t.keys()))[1:])(apache.table())",
  ]),
  T('table-add-multi-values', [
    "(lambda t: (t.__setitem__('Foo', 'a'), t.add('foo', 'b'), t['FOO'], t.get('foo'), len(t), t.items())[2:])(apache.table())",
  ]),
  T('table-setitem-replaces', [
    "(lambda t: (t.add('k', '1'), t.add('K', '2'), t.__setitem__('k', '3'), t['k'], len(t))[3:])(apache.table())",
  ]),
  T('table-delitem-and-keyerror', [
    "(lambda t: (t.add('k', '1'), t.add('k', '2'), t.__delitem__('K'), 'k' in t, len(t))[2:])(apache.table())",
    "apache.table()['missing']",
  ]),
  T('table-constructor-forms', [
    "sorted(apache.table({'a': 1, 'b': 'x'}).items())",
    "apache.table([('a', '1'), ('a', '2')]).items()",
    "apache.make_table is apache.table or apache.make_table.__name__",
  ]),
  T('table-dict-api', [
    "(lambda t: (t.update({'x': 1, 'y': 2}), sorted(t.keys()), sorted(t.values()), t.setdefault('z'), t.setdefault('x', '9'), t.copy() == t, isinstance(t.copy(), apache.table))[1:])(apache.table())",
  ]),
  T('table-iteration-and-repr', [
    "(lambda t: (t.add('a', '1'), t.add('b', '2'), t.add('a', '3'), list(t), [k for k in t.keys()], repr(t))[3:])(apache.table())",
  ]),
  T('table-clear-and-len', [
    "(lambda t: (t.add('a', '1'), t.clear(), len(t), dict(t))[2:])(apache.table())",
  ]),
  T('table-compare-and-hash', [
    "apache.table({'a': '1'}) == {'a': '1'}",
    "hash(apache.table())",
  ]),
  T('table-non-latin1-value', [
    "(lambda t: t.__setitem__('k', '\\u20ac'))(apache.table())",
  ]),
  py('headers-out-multi-values', 'tables', `
    def handler(req):
        req.content_type = 'text/plain'
        req.headers_out.add('X-Multi', 'one')
        req.headers_out.add('x-multi', 'two')
        req.headers_out['X-Single'] = 'a'
        req.headers_out['x-single'] = 'b'
        req.write(repr((req.headers_out['X-MULTI'], req.headers_out['X-Single'])), 0)
        return apache.OK
  `, [{ path: '@/t', status: 200 }], { compare: { headers: ['x-multi', 'x-single'] } }),
  py('headers-in-duplicates-merged', 'tables', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write(repr(req.headers_in.get('X-Dup')), 0)
        return apache.OK
  `, [{ raw: 'GET @/t HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Dup: 1\r\nX-Dup: 2\r\nConnection: close\r\n\r\n', status: 200 }]),
  py('notes-and-subprocess-env-live', 'tables', `
    def fixuphandler(req):
        req.notes['from-fixup'] = 'n1'
        req.subprocess_env['FROM_FIXUP'] = 'e1'
        return apache.OK
    def handler(req):
        req.content_type = 'text/plain'
        req.write(repr((req.notes.get('from-fixup'), req.subprocess_env.get('FROM_FIXUP'), req.subprocess_env.get('SETENV_VAR'))), 0)
        return apache.OK
  `, [{ path: '@/t', status: 200 }], { dir: '  PythonFixupHandler ${MODULE}\n  SetEnv SETENV_VAR from-setenv' }),
];

// The fixup handler lives in the case's own module.
for (const c of cases) if (c.conf) c.conf = c.conf.replace('${MODULE}', `c_${c.name.replace(/[^a-zA-Z0-9]/g, '_')}`);

export const tablesGroup: CaseGroup = { name: 'tables', cases };
