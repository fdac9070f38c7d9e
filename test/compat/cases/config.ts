/**
 * @module compat/cases/config — options and handler lists merged across server, vhost,
 * <Directory>, <Files>, <Location> and .htaccess (spec §3.3, §3.8), and interpreter naming and
 * state (spec §2.4).
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent, moduleName, py } from './helpers.js';

const OPTS = `
  def handler(req):
      req.content_type = 'text/plain'
      req.write('req=%r\\nserver=%r\\n' % (sorted(req.get_options().items()), sorted(req.server.get_options().items())), 0)
      return apache.OK
`;

const INTERP = `
  import sys
  def handler(req):
      req.content_type = 'text/plain'
      req.write('req=%r apache=%r' % (req.interpreter, apache.interpreter), 0)
      return apache.OK
`;

const M = moduleName;

const configCases: CompatCase[] = [
  py('options-server-vhost-directory', 'config', OPTS, [{ path: '@/x', status: 200 }, { path: '@/x', listener: 'vhost', status: 200 }], {
    dir: '  PythonOption override_me directory',
  }),
  py('options-empty-value-removes', 'config', OPTS, [{ path: '@/x', status: 200 }], {
    dir: '  PythonOption srv_level ""\n  PythonOption other',
  }),
  py('options-subdirectory-overlay', 'config', OPTS, [{ path: '@/x', status: 200 }, { path: '@/sub/x', status: 200 }], {
    dir: '  PythonOption level parent\n  PythonOption keep parent-only',
    conf: '<Directory ${CASE}/sub>\n  PythonOption level child\n</Directory>\n',
    files: { 'sub/.keep': '' },
  }),
  py('options-htaccess', 'config', OPTS, [{ path: '@/x', status: 200 }, { path: '@/h/x', status: 200 }], {
    dir: '  PythonOption level directory',
    files: { 'h/.htaccess': 'PythonOption level htaccess\nPythonOption from_htaccess yes\n' },
  }),
  py('options-files-section', 'config', OPTS, [{ path: '@/a.special', status: 200 }, { path: '@/a.plain', status: 200 }], {
    dir: '  PythonOption level directory\n  <Files "*.special">\n    PythonOption level files\n  </Files>',
  }),
  py('options-location-wins', 'config', OPTS, [{ path: '@/loc/x', status: 200 }, { path: '@/x', status: 200 }], {
    dir: '  PythonOption level directory',
    conf: '<Location ${URL}loc>\n  PythonOption level location\n</Location>\n',
  }),
  py('config-debug-autoreload-flags', 'config', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write(repr(sorted(req.get_config().items())), 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }, { path: '@/sub/x', status: 200 }], {
    dir: '  PythonAutoReload Off',
    conf: '<Directory ${CASE}/sub>\n  PythonDebug Off\n  PythonAutoReload On\n</Directory>\n',
    files: { 'sub/.keep': '' },
  }),
  {
    name: 'handler-list-replaced-per-section',
    area: 'config',
    conf: dedent(`
      <Directory \${CASE}>
        SetHandler mod_python
        PythonHandler ${M('handler-list-replaced-per-section')}::a ${M('handler-list-replaced-per-section')}::b
      </Directory>
      <Directory \${CASE}/sub>
        PythonHandler ${M('handler-list-replaced-per-section')}_sub
      </Directory>
    `),
    files: {
      [`${M('handler-list-replaced-per-section')}.py`]: dedent(`
        from mod_python import apache
        def a(req):
            req.content_type = 'text/plain'
            req.write('a;')
            return apache.OK
        def b(req):
            req.write('b;')
            return apache.OK
      `),
      [`sub/${M('handler-list-replaced-per-section')}_sub.py`]: dedent(`
        from mod_python import apache
        def handler(req):
            req.content_type = 'text/plain'
            req.write('sub only;')
            return apache.OK
      `),
    },
    requests: [{ path: '@/x', status: 200, bodyHas: 'a;b;' }, { path: '@/sub/x', status: 200, bodyHas: 'sub only;' }],
  },
  {
    name: 'handler-in-htaccess',
    area: 'config',
    files: {
      'ht/.htaccess': `SetHandler mod_python\nPythonHandler ${M('handler-in-htaccess')}\nPythonDebug On\n`,
      [`ht/${M('handler-in-htaccess')}.py`]: dedent(`
        from mod_python import apache
        def handler(req):
            req.content_type = 'text/plain'
            req.write('htaccess handler dir=%r' % req.hlist.directory.replace('\${CASE}', 'CASE'), 0)
            return apache.OK
      `),
    },
    requests: [{ path: '@/ht/x', status: 200, bodyHas: 'htaccess handler' }],
  },
  {
    name: 'handler-in-files-section',
    area: 'config',
    conf: dedent(`
      <Directory \${CASE}>
        <Files "*.run">
          SetHandler mod_python
          PythonHandler ${M('handler-in-files-section')}
        </Files>
      </Directory>
    `),
    files: {
      [`${M('handler-in-files-section')}.py`]: dedent(`
        from mod_python import apache
        def handler(req):
            req.content_type = 'text/plain'
            req.write('files handler dir=%r' % req.hlist.directory.replace('\${CASE}', 'CASE'), 0)
            return apache.OK
      `),
      'page.txt': 'not python\n',
    },
    requests: [{ path: '@/job.run', status: 200, bodyHas: 'files handler' }, { path: '@/page.txt', status: 200 }],
  },
  {
    name: 'handler-in-directorymatch',
    area: 'config',
    conf: dedent(`
      <DirectoryMatch "^\${CASE}/d[0-9]+">
        SetHandler mod_python
        PythonHandler ${M('handler-in-directorymatch')}
        PythonPath "sys.path+['\${CASE}']"
      </DirectoryMatch>
    `),
    files: {
      [`${M('handler-in-directorymatch')}.py`]: dedent(`
        from mod_python import apache
        def handler(req):
            req.content_type = 'text/plain'
            req.write('match dir=%r' % (req.hlist.directory or '').replace('\${CASE}', 'CASE'), 0)
            return apache.OK
      `),
      'd1/.keep': '',
      'd22/.keep': '',
    },
    requests: [{ path: '@/d1/x', status: 200 }, { path: '@/d22/y', status: 200 }],
  },
  {
    name: 'handler-in-locationmatch',
    area: 'config',
    conf: dedent(`
      <LocationMatch "^/lm-[0-9]+/">
        SetHandler mod_python
        PythonHandler ${M('handler-in-locationmatch')}
        PythonPath "sys.path+['\${CASE}']"
      </LocationMatch>
    `),
    files: {
      [`${M('handler-in-locationmatch')}.py`]: dedent(`
        from mod_python import apache
        def handler(req):
            req.content_type = 'text/plain'
            req.write('lm filename=%r loc=%r' % (req.filename, req.hlist.is_location), 0)
            return apache.OK
      `),
    },
    requests: [{ path: '/lm-42/x', status: 200 }],
  },
  {
    name: 'vhost-level-handler',
    area: 'config',
    files: {
      [`${M('vhost-level-handler')}.py`]: dedent(`
        from mod_python import apache
        def handler(req):
            req.content_type = 'text/plain'
            req.write('vhost handler host=%r dir=%r opts=%r' % (req.server.server_hostname, req.hlist.directory, sorted(req.get_options().items())), 0)
            return apache.OK
      `),
    },
    requests: [{ path: '/vh-handler/x', listener: 'vhost', status: 200 }, { path: '/vh-handler/x', status: 404 }],
  },
];

const interpCases: CompatCase[] = [
  py('interp-default-servername', 'interpreters', INTERP, [{ path: '@/x', status: 200 }, { path: '@/x', listener: 'vhost', status: 200 }]),
  py('interp-python-interpreter', 'interpreters', INTERP, [{ path: '@/x', status: 200, bodyHas: 'custom_interp' }], { dir: '  PythonInterpreter custom_interp' }),
  py('interp-per-directory', 'interpreters', INTERP, [{ path: '@/x', status: 200 }, { path: '@/sub/y', status: 200 }], {
    dir: '  PythonInterpPerDirectory On',
    files: { 'sub/.keep': '' },
  }),
  py('interp-per-directive', 'interpreters', INTERP, [{ path: '@/x', status: 200 }, { path: '@/sub/y', status: 200 }], {
    dir: '  PythonInterpPerDirective On',
    files: { 'sub/.keep': '' },
  }),
  {
    name: 'interp-per-directory-location',
    area: 'interpreters',
    conf: dedent(`
      <Location /interp-loc>
        SetHandler mod_python
        PythonHandler ${M('interp-per-directory-location')}
        PythonInterpPerDirectory On
        PythonPath "sys.path+['\${CASE}']"
      </Location>
    `),
    files: { [`${M('interp-per-directory-location')}.py`]: 'from mod_python import apache\n' + dedent(INTERP) },
    requests: [{ path: '/interp-loc/x', status: 200 }],
  },
  py('interp-state-persists', 'interpreters', `
    count = 0
    def handler(req):
        global count
        count += 1
        req.content_type = 'text/plain'
        req.write('count=%d' % count, 0)
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'count=1' }, { path: '@/x', status: 200, bodyHas: 'count=2' }, { path: '@/x', status: 200, bodyHas: 'count=3' }], {
    dir: '  PythonInterpreter counter_interp',
  }),
  py('interp-isolation', 'interpreters', `
    import sys
    def handler(req):
        req.content_type = 'text/plain'
        seen = getattr(sys, 'compat_marker', None)
        sys.compat_marker = req.interpreter
        req.write('before=%r now=%r' % (seen, req.interpreter), 0)
        return apache.OK
  `, [{ path: '@/a/x', status: 200 }, { path: '@/b/x', status: 200 }, { path: '@/a/x', status: 200 }], {
    conf: '<Directory ${CASE}/a>\n  PythonInterpreter iso_a\n</Directory>\n<Directory ${CASE}/b>\n  PythonInterpreter iso_b\n</Directory>\n',
    files: { 'a/.keep': '', 'b/.keep': '' },
  }),
];

export const configGroup: CaseGroup = {
  name: 'config',
  conf: dedent(`
    PythonOption srv_level server-value
    PythonOption override_me server
    <VirtualHost 127.0.0.1:\${MP_PORT2}>
      ServerName vhost.test
      DocumentRoot \${DOCROOT}
      PythonOption vh_level vhost-value
      PythonOption override_me vhost
      <Location /vh-handler>
        SetHandler mod_python
        PythonHandler ${M('vhost-level-handler')}
        PythonPath "sys.path+['\${DOCROOT}/vhost-level-handler']"
      </Location>
    </VirtualHost>
  `),
  cases: [...configCases, ...interpCases],
};
