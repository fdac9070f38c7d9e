/**
 * @module compat/cases/helpers — shorthands so a case reads at a glance: a Python handler in its
 * own <Directory> (module named after the case, since sys.path is shared per interpreter and
 * same-named modules would collide), and Python source written without leading indentation.
 */
import type { Area, CompatCase, CompatRequest } from '../lib/case.js';

/** Removes the common leading indentation of a template literal, and the first/last blank line. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n') + '\n';
}

/** The Python module name used for a case's handler. */
export function moduleName(caseName: string): string {
  return 'c_' + caseName.replace(/[^a-zA-Z0-9]/g, '_');
}

export interface PyCaseOptions extends Partial<Omit<CompatCase, 'name' | 'area' | 'requests'>> {
  /** Extra lines inside the case's <Directory>. */
  dir?: string;
  /** Handler directive value (default: the case module). */
  handler?: string;
  /** PythonDebug (default On). */
  debug?: boolean;
}

/**
 * A case whose handler is `code` (a module with `handler(req)`, `from mod_python import apache`
 * already imported), served by `SetHandler mod_python` in the case's own <Directory>.
 */
export function py(name: string, area: Area, code: string, requests: CompatRequest[], opts: PyCaseOptions = {}): CompatCase {
  const mod = moduleName(name);
  const { dir, handler, debug, conf, files, ...rest } = opts;
  return {
    name,
    area,
    conf: dedent(`
      <Directory \${CASE}>
        SetHandler mod_python
        PythonHandler ${handler ?? mod}
        PythonDebug ${debug === false ? 'Off' : 'On'}
      ${dir ?? ''}
      </Directory>
    `) + (conf ?? ''),
    files: { [`${mod}.py`]: 'from mod_python import apache\n' + dedent(code), ...(files ?? {}) },
    requests,
    ...rest,
  };
}

/** GET requests of the case URL plus `suffix` each expecting `status`. */
export function gets(status: number, ...suffixes: string[]): CompatRequest[] {
  return suffixes.map((s) => ({ path: `@/${s}`, status }));
}

/**
 * A case whose handler writes `expr = repr(value)` for each Python expression (evaluated with
 * `req`, `apache` and `util` in scope), one per line, as text/plain with a computed length; an
 * expression that raises prints `expr raised ExceptionClass`.
 */
export function reprCase(name: string, area: Area, exprs: string[], requests: CompatRequest[], opts: PyCaseOptions = {}): CompatCase {
  const code = [
    'from mod_python import util',
    'EXPRS = ' + JSON.stringify(exprs),
    'def handler(req):',
    "    req.content_type = 'text/plain'",
    '    out = []',
    '    for e in EXPRS:',
    '        try:',
    "            out.append('%s = %r' % (e, eval(e, globals(), {'req': req})))",
    '        except Exception as exc:',
    // Only the exception's class: message wording is not part of the API.
    "            out.append('%s raised %s' % (e, type(exc).__name__))",
    "    req.write('\\n'.join(out) + '\\n', 0)",
    '    return apache.OK',
  ].join('\n');
  return py(name, area, code, requests, opts);
}
