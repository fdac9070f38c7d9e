/**
 * @module compat/cases/util — mod_python.util (spec §4.8): FieldStorage from the query string,
 * urlencoded and multipart bodies and file uploads, parse_qs/parse_qsl, redirect.
 */
import type { CaseGroup, CompatCase, CompatRequest } from '../lib/case.js';
import { py } from './helpers.js';

const FORM_DUMP = `
  from mod_python import util
  def show(v):
      if isinstance(v, list):
          return [show(x) for x in v]
      if getattr(v, 'filename', None):
          return ('file', type(v.name).__name__, v.name, v.filename, v.type, v.file.read())
      return (type(v).__name__, v.value if hasattr(v, 'value') else v)
  def handler(req):
      req.content_type = 'text/plain'
      fs = util.FieldStorage(req, keep_blank_values=1)
      out = ['keys=%r' % (list(fs.keys()),)]
      for f in fs.list:
          out.append('%s %r -> %r' % (type(f.name).__name__, f.name, show(f)))
      req.write('\\n'.join(out) + '\\n', 0)
      return apache.OK
`;

const BOUNDARY = '----compatBoundary7d3';
function multipart(parts: { name: string; value: string; filename?: string; type?: string }[]): string {
  const body = parts
    .map((p) => {
      const disp = `Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
      const type = p.type ? `\r\nContent-Type: ${p.type}` : '';
      return `--${BOUNDARY}\r\n${disp}${type}\r\n\r\n${p.value}\r\n`;
    })
    .join('');
  return `${body}--${BOUNDARY}--\r\n`;
}
const MP_HEADERS = { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` };
const URLENC = { 'Content-Type': 'application/x-www-form-urlencoded' };

const post = (body: string, headers: Record<string, string>, extra: Partial<CompatRequest> = {}): CompatRequest => ({ method: 'POST', path: '@/f', body, headers, ...extra });

const cases: CompatCase[] = [
  py('fieldstorage-query-long-keys', 'util', FORM_DUMP, [{ path: '@/f?name=alice&city=paris&tags=a&tags=b', status: 200 }]),
  py('fieldstorage-query-blank-values', 'util', FORM_DUMP, [{ path: '@/f?empty=&plus=a+b&percent=%41%42', status: 200 }]),
  py('fieldstorage-query-short-keys', 'util', FORM_DUMP, [{ path: '@/f?x=10&day=2&year=3' }], {
    expect: {
      differs: 'Query keys of three characters or fewer must survive; mod_python 3.5 replaces the key with the value (upstream #117/#144, spec §4.8, §8 point 8).',
      apache: { 0: { status: 200, body: /str '10' -> \('StringField', '10'\)/ } },
      modpy: { 0: { status: 200, body: /str 'x' -> \('StringField', '10'\)[\s\S]*str 'day' -> \('StringField', '2'\)/ } },
    },
  }),
  py('fieldstorage-urlencoded-post', 'util', FORM_DUMP, [post('name=alice&city=paris', URLENC)], {
    expect: {
      differs: 'Field names from an urlencoded POST body are str, as from the query string; mod_python 3.5 gives bytes names, so the publisher never matches them (spec §4.8).',
      apache: { 0: { status: 200, body: /bytes b'name'/ } },
      modpy: { 0: { status: 200, body: /str 'name'/ } },
    },
  }),
  // Multipart values stay bytes, as upstream (names are str); urlencoded ones are fixed (below).
  py('fieldstorage-multipart-fields', 'util', FORM_DUMP, [post(multipart([{ name: 'first', value: 'one' }, { name: 'second', value: 'two words' }]), MP_HEADERS, { status: 200 })]),
  py('fieldstorage-file-upload', 'util', FORM_DUMP, [
    post(multipart([{ name: 'upload', value: 'file line 1\nfile line 2\n', filename: 'hello.txt', type: 'text/plain' }]), MP_HEADERS, { status: 200, bodyHas: "b'file line 1\\nfile line 2\\n'" }),
  ]),
  py('fieldstorage-multipart-no-boundary', 'util', FORM_DUMP, [post('x', { 'Content-Type': 'multipart/form-data' }, { status: 400 })]),
  py('fieldstorage-unsupported-type', 'util', FORM_DUMP, [post('{}', { 'Content-Type': 'application/json' }, { status: 501 })]),
  py('fieldstorage-put-body-ignored', 'util', FORM_DUMP, [{ method: 'PUT', path: '@/f?query=1', body: 'abcd=1', headers: URLENC, status: 200 }]),
  py('fieldstorage-mapping-api', 'util', `
    from mod_python import util
    def handler(req):
        req.content_type = 'text/plain'
        fs = util.FieldStorage(req)
        out = [repr(fs.getfirst('multi')), repr(fs.getlist('multi')), repr(fs.getlist('none')), repr(fs.get('none', 'dflt')),
               repr('multi' in fs), repr(len(fs)), repr(fs.getfirst('missing', 'fallback')), repr(fs['single'])]
        try:
            fs['missing']
        except KeyError:
            out.append('KeyError')
        req.write('\\n'.join(out), 0)
        return apache.OK
  `, [{ path: '@/f?multi=1&multi=2&single=s', status: 200 }]),
  py('parse-qs-and-qsl', 'util', `
    from mod_python import util
    def handler(req):
        req.content_type = 'text/plain'
        out = [repr(util.parse_qs('first=1&second=2&second=3&blank=')), repr(util.parse_qs('first=1&blank=', 1)),
               repr(util.parse_qsl('first=a+b&second=%7E')), repr(util.parse_qs(b'first=1')), repr(util.parse_qsl('first=1;second=2'))]
        req.write('\\n'.join(out), 0)
        return apache.OK
  `, [{ path: '@/p', status: 200 }]),
  py('parse-qsl-short-keys', 'util', `
    from mod_python import util
    def handler(req):
        req.content_type = 'text/plain'
        req.write(repr(util.parse_qsl('x=10&y=20')), 0)
        return apache.OK
  `, [{ path: '@/p' }], {
    expect: {
      differs: 'parse_qsl keeps keys of three characters or fewer; mod_python 3.5 returns [(value, value)] for them (upstream #117/#144, spec §4.8).',
      apache: { 0: { status: 200, body: "[('10', '10'), ('20', '20')]" } },
      modpy: { 0: { status: 200, body: "[('x', '10'), ('y', '20')]" } },
    },
  }),
  py('parse-header', 'util', `
    from mod_python import util
    def handler(req):
        req.content_type = 'text/plain'
        req.write(repr(util.parse_header(b'form-data; name="upload"; filename="a b.txt"')), 0)
        return apache.OK
  `, [{ path: '@/p', status: 200 }]),
  py('util-redirect-temporary', 'util', `
    from mod_python import util
    def handler(req):
        util.redirect(req, '/target/page?x=1')
  `, [{ path: '@/r', status: 302 }]),
  py('util-redirect-permanent-text', 'util', `
    from mod_python import util
    def handler(req):
        util.redirect(req, 'http://example.com/new', permanent=1, text='moved for good')
  `, [{ path: '@/r', status: 301, bodyHas: 'moved for good' }]),
  py('util-redirect-after-output', 'util', `
    from mod_python import util
    def handler(req):
        req.content_type = 'text/plain'
        req.write('already sent;')
        try:
            util.redirect(req, '/late')
        except IOError:
            req.write('IOError')
        return apache.OK
  `, [{ path: '@/r', status: 200, bodyHas: 'already sent;IOError' }]),
  py('apply-fs-data', 'util', `
    from mod_python import util
    def target(req, name, count=0, **rest):
        return 'name=%r count=%r rest=%r' % (name, count, sorted(rest.items()))
    def handler(req):
        req.content_type = 'text/plain'
        fs = util.FieldStorage(req)
        req.write(util.apply_fs_data(target, fs, req=req), 0)
        return apache.OK
  `, [{ path: '@/a?name=bob&count=3&extra=1', status: 200 }]),
];

export const utilGroup: CaseGroup = { name: 'util', cases };
