/**
 * @module compat/cases/psp — mod_python.psp (spec §4.10): the page syntax and its code
 * generation (text, expressions, code blocks, indentation, includes, comments), the page globals,
 * the PSP class with files, strings and vars, error pages, and the `.psp_` source view.
 */
import type { CaseGroup, CompatCase, CompatRequest } from '../lib/case.js';
import { dedent, py } from './helpers.js';

function page(name: string, source: string, requests: CompatRequest[], extra: Partial<CompatCase> = {}): CompatCase {
  const files = { 'page.psp': source, ...(extra.files ?? {}) };
  return {
    name,
    area: 'psp',
    conf: `<Directory \${CASE}>\n  AddHandler mod_python .psp .psp_\n  PythonHandler mod_python.psp\n  PythonDebug On\n</Directory>\n`,
    requests,
    ...extra,
    files,
  };
}

const LOOP = dedent(`
  <ul>
  <%
  for n in range(3):
      # This indent will persist
  %>
  <li>item <%= n %></li>
  <%
  # back to column 0
  %>
  </ul>
`);

const cases: CompatCase[] = [
  page('psp-text-and-expression', '<p>Hello <%= 1 + 2 %> and <%= "w" * 3 %></p>\n', [{ path: '@/page.psp', status: 200, bodyHas: 'Hello 3 and www' }]),
  page('psp-code-block', '<% x = 5 %>x=<%= x %>;\n<%\ny = x * 2\n%>y=<%= y %>\n', [{ path: '@/page.psp', status: 200, bodyHas: 'x=5;' }]),
  page('psp-indentation-block', LOOP, [{ path: '@/page.psp', status: 200, bodyHas: 'item 2' }]),
  page('psp-colon-adds-indent', '<%\nfor n in range(2):\n%>row <%= n %>;\n<%\n%>end\n', [{ path: '@/page.psp', status: 200, bodyHas: 'end' }]),
  page('psp-comment-removed', 'before<%-- a hidden comment --%>after\n', [{ path: '@/page.psp', status: 200, bodyHas: 'beforeafter' }]),
  page('psp-include-file', 'head;<%@ include file="inc.html" %>;tail\n', [{ path: '@/page.psp', status: 200, bodyHas: 'included <b>3</b>' }], {
    files: { 'inc.html': 'included <b><%= 1 + 2 %></b>' },
  }),
  page('psp-text-escapes', 'quote " and backslash-n \\n and tab \\t and back\\slash\n', [{ path: '@/page.psp', status: 200 }]),
  page('psp-text-backslash-quote', 'a backslash-quote \\" inside text and a final backslash \\', [{ path: '@/page.psp' }], {
    expect: {
      differs: 'Page text with \\" or a trailing backslash renders as written (docs/library.md); mod_python 3.5 generates invalid Python for it.',
      apache: { 0: { status: 500 } },
      modpy: { 0: { status: 200, body: 'a backslash-quote \\" inside text and a final backslash \\' } },
    },
  }),
  page('psp-include-change-recompiles', 'head;<%@ include file="inc.html" %>;tail\n', [
    { path: '@/page.psp', status: 200, bodyHas: 'include v1' },
    { path: '@/page.psp', rewrite: { 'inc.html': 'include v2' } },
  ], {
    files: { 'inc.html': 'include v1' },
    expect: {
      differs: 'Changing an included file recompiles the page (docs/library.md); mod_python 3.5 caches by the page\'s own mtime and keeps the old include.',
      apache: { 1: { status: 200, body: 'head;include v1;tail\n' } },
      modpy: { 1: { status: 200, body: 'head;include v2;tail\n' } },
    },
  }),
  page('psp-crlf-line-endings', '<%\r\nz = 7\r\n%>\r\nz=<%= z %>\r\n', [{ path: '@/page.psp', status: 200, bodyHas: 'z=7' }]),
  page('psp-globals-req-form', 'uri=<%= req.uri %> name=<%= form.getfirst("name", "none") %> psp=<%= type(psp).__name__ %>\n', [
    { path: '@/page.psp?name=alice', status: 200, bodyHas: "name=b'alice'" },
  ]),
  page('psp-content-type-and-length', 'typed page\n', [{ path: '@/page.psp', status: 200 }, { method: 'HEAD', path: '@/page.psp', status: 200 }]),
  page('psp-syntax-error', '<% if %>\n', [{ path: '@/page.psp', status: 500 }], { compare: { body: (b) => (b.includes('SyntaxError') ? 'SyntaxError page' : b) } }),
  page('psp-runtime-error', '<% raise KeyError("psp-missing") %>\n', [{ path: '@/page.psp', status: 500, bodyHas: 'psp-missing' }], {
    compare: { body: (b) => (b.includes('KeyError') ? 'KeyError page' : b) },
  }),
  page('psp-missing-page', 'x', [{ path: '@/nope.psp', status: 404 }]),
  page('psp-redirect', '<% psp.redirect("/moved/elsewhere") %>never\n', [{ path: '@/page.psp' }], {
    expect: {
      differs: 'psp.redirect() ends the page with a clean 302; mod_python 3.5 returns the SERVER_RETURN object from the psp handler, so an AssertionError traceback is appended to the redirect body (found by this suite).',
      apache: { 0: { status: 302, body: /AssertionError/ } },
      modpy: { 0: { status: 302, headers: { Location: '/moved/elsewhere' }, body: /^<p>The document has moved <a href="\/moved\/elsewhere">here<\/a><\/p>\s*$/ } },
    },
  }),
  page('psp-error-page', '<% psp.set_error_page("err.psp") %>start;<% raise ValueError("page failed") %>\n', [{ path: '@/page.psp', status: 200, bodyHas: 'error page saw ValueError' }], {
    files: { 'err.psp': 'error page saw <%= exception[0].__name__ %>: <%= exception[1] %>\n' },
  }),
  page('psp-apply-data', '<%\ndef greet(name, times="1"):\n    return (name + " ") * int(times)\ngreeting = psp.apply_data(greet)\n%><%= greeting %>\n', [{ path: '@/page.psp?name=hey&times=2', status: 200, bodyHas: 'hey hey' }]),
  page('psp-source-view-debug-on', '<p><%= 40 + 2 %></p>\n<% x = 1 %>\n', [{ path: '@/page.psp_', status: 200 }, { path: '@/page.psp', status: 200 }]),
  {
    ...page('psp-source-view-debug-off', '<p><%= 40 + 2 %></p>\n', [{ path: '@/page.psp_', status: 404 }, { path: '@/page.psp', status: 200 }]),
    conf: `<Directory \${CASE}>\n  AddHandler mod_python .psp .psp_\n  PythonHandler mod_python.psp\n  PythonDebug Off\n</Directory>\n`,
  },
  py('psp-class-file-with-vars', 'psp', `
    from mod_python import psp
    def handler(req):
        tmpl = psp.PSP(req, filename='template.html', vars={'title': 'Hi', 'what': 'constructor'})
        tmpl.run({'what': 'world'})
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: '<h1>Hi, world!</h1>' }], { files: { 'template.html': '<h1><%= title %>, <%= what %>!</h1>\n' } }),
  py('psp-class-string-bytes', 'psp', `
    from mod_python import psp
    def handler(req):
        req.content_type = 'text/plain'
        psp.PSP(req, string=b'bytes template <%= 6 * 7 %>').run()
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'bytes template 42' }]),
  py('psp-class-string-str', 'psp', `
    from mod_python import psp
    def handler(req):
        req.content_type = 'text/plain'
        psp.PSP(req, string='str template <%= 6 * 7 %>').run()
        return apache.OK
  `, [{ path: '@/x' }], {
    expect: {
      differs: 'PSP(req, string=...) accepts a str template; mod_python 3.5 requires bytes and raises TypeError (spec §4.10, §8 point 11).',
      apache: { 0: { status: 500, body: /TypeError/ } },
      modpy: { 0: { status: 200, body: 'str template 42' } },
    },
  }),
  py('psp-parse-functions', 'psp', `
    from mod_python import psp
    def handler(req):
        req.content_type = 'text/plain'
        req.write(psp.parsestring(b'a<%= b %>c<% d = 1 %>e'), 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),
  py('psp-display-code', 'psp', `
    from mod_python import psp
    def handler(req):
        req.content_type = 'text/html'
        # display_code() writes the listing itself.
        psp.PSP(req, filename='t.psp').display_code()
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { files: { 't.psp': 'one <%= 1 %>\n<% two = 2 %>\n' } }),
];

export const pspGroup: CaseGroup = { name: 'psp', cases };
