/**
 * @module compat/cases/ssi — Python in server-side includes (spec §3.7): `<!--#python exec/eval -->`
 * inside mod_include's INCLUDES filter, with req.ssi_globals prepared by a fixup handler.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent } from './helpers.js';

const NOT_BUILT = 'SSI (#python elements in the INCLUDES filter, mod_include) is not in modpy yet';

function ssi(name: string, page: string, requests: CompatCase['requests'], extra: Partial<CompatCase> = {}): CompatCase {
  return { name, area: 'filters', skip: NOT_BUILT, files: { 'page.shtml': page, ...(extra.files ?? {}) }, requests, ...extra };
}

const cases: CompatCase[] = [
  ssi('ssi-python-eval', '<p>sum=<!--#python eval="1 + 2" --></p>\n', [{ path: '@/page.shtml', status: 200, bodyHas: 'sum=3' }]),
  // filter.write() does not copy in mod_python 3.5: what is written must stay referenced (keep).
  ssi('ssi-python-exec-writes', '<p><!--#python exec="\nkeep = [str(i) for i in range(3)]\nfor s in keep:\n    filter.write(s)\n" --></p>\n', [{ path: '@/page.shtml', status: 200, bodyHas: '<p>012</p>' }]),
  ssi('ssi-globals-from-fixup', '<p><!--#python eval="greeting" --></p>\n', [{ path: '@/page.shtml', status: 200, bodyHas: 'hello from fixup' }], {
    conf: '<Directory ${CASE}>\n  PythonFixupHandler ssi_fixup\n</Directory>\n',
  }),
];

export const ssiGroup: CaseGroup = {
  name: 'ssi',
  conf: dedent(`
    <IfModule !include_module>
      LoadModule include_module \${MODULES}/mod_include.so
    </IfModule>
    PythonPath "sys.path+['\${SITE}/ssi']"
    <IfModule include_module>
      <Directory \${DOCROOT}>
        Options +Includes
        AddOutputFilter INCLUDES .shtml
        AddType text/html .shtml
      </Directory>
    </IfModule>
  `),
  files: { 'ssi/ssi_fixup.py': 'from mod_python import apache\ndef fixuphandler(req):\n    req.ssi_globals = {"greeting": "hello from fixup"}\n    return apache.OK\n' },
  cases,
};
