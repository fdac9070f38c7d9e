/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Reload (SIGHUP) reaches the Python workers: the rolled workers start from the NEW
 * configuration (a PythonImport added before the reload runs, also for an interpreter that had
 * no pool yet, and a new Define is visible), and
 * worker output after a reload and a log rotation lands in the new error log, not in the file
 * the server started with.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildConfigText, startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const config = (imports: string[], defines: string[]) => `
PythonPath "sys.path+['{{ROOT}}/py']"
${imports.map((m) => `PythonImport ${m.replace(':', ' ')}`).join('\n')}
${defines.map((d) => `Define ${d}`).join('\n')}
<Location /probe>
  SetHandler mod_python
  PythonHandler probe
  PythonInterpreter main_interpreter
</Location>
`;

// Each PythonImport module leaves a marker file named after itself when a worker imports it.
const importer = (name: string) => `import os
open(os.path.join(${JSON.stringify('{{ROOT}}')}, 'marks', ${JSON.stringify(name)}), 'a').write('%d\\n' % os.getpid())
`;

const probe = `from mod_python import apache
import os

def handler(req):
    if req.args and req.args.startswith('say='):
        print(req.args[4:])
    req.content_type = 'text/plain'
    req.write('reloaded=%s pid=%d' % (apache.exists_config_define('RELOADED'), os.getpid()))
    return apache.OK
`;

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('reload reaches the Python workers', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: config(['mpimp_a:main_interpreter'], []),
      files: { 'py/mpimp_a.py': importer('mpimp_a'), 'py/mpimp_b.py': importer('mpimp_b'), 'py/mpimp_c.py': importer('mpimp_c'), 'py/probe.py': probe, 'marks/.keep': '' },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  const mark = (name: string) => join(srv.root, 'marks', name);
  const reloads = () => (srv.errorLog().match(/MPY0007: configuration reloaded/g) ?? []).length;
  const get = async (path: string) => (await fetch(srv.url(path), { signal: AbortSignal.timeout(10_000) })).text();

  it('workers rolled by SIGHUP run the PythonImport list and Defines of the new configuration', async () => {
    await until('mpimp_a imported at start-up', () => existsSync(mark('mpimp_a')));
    assert.equal(existsSync(mark('mpimp_b')), false);
    assert.match(await get('/probe'), /^reloaded=False pid=\d+$/);

    const next = config(['mpimp_a:main_interpreter', 'mpimp_b:main_interpreter', 'mpimp_c:other_interp'], ['RELOADED']);
    await writeFile(srv.configFile, buildConfigText(next, srv.root, srv.ports));
    const before = reloads();
    srv.signal('SIGHUP');
    await until('the reload', () => reloads() > before);
    await until('mpimp_b imported by a rolled worker', () => existsSync(mark('mpimp_b')));
    // The pool may run several workers; each replacement imports the whole new list.
    const pids = (name: string) => readFileSync(mark(name), 'utf8').trim().split('\n');
    // Old workers retire once their replacements are ready; from then on requests reach new ones.
    let last = '';
    await until('a request served by a rolled worker', async () => pids('mpimp_b').includes(/pid=(\d+)$/.exec((last = await get('/probe')))?.[1] ?? '')).catch(
      (err: Error) => {
        throw new Error(`${err.message}; last answer '${last}', mpimp_a by ${pids('mpimp_a').join(' ')}, mpimp_b by ${pids('mpimp_b').join(' ')}`);
      },
    );
    assert.match(last, /^reloaded=True pid=\d+$/, 'the new Define reached the workers');
    for (const pid of pids('mpimp_b')) assert.ok(pids('mpimp_a').includes(pid), `the new worker ${pid} also ran mpimp_a`);
    // An interpreter that had no pool before the reload gets one, as PythonImport does at start-up.
    await until('mpimp_c imported in the new interpreter', () => existsSync(mark('mpimp_c')));
    for (const pid of pids('mpimp_c')) assert.equal(pids('mpimp_a').includes(pid), false, 'other_interp has its own workers');
  });

  it('after a reload and a log rotation, worker output goes to the new error log', async () => {
    await rename(join(srv.root, 'logs', 'error_log'), join(srv.root, 'logs', 'error_log.1'));
    srv.signal('SIGUSR2');
    await srv.waitForLog(/MPY0026: log files reopened after SIGUSR2/);
    assert.match(await get('/probe?say=printed-after-rotation'), /^reloaded=True /);
    await srv.waitForLog(/printed-after-rotation/);
    assert.doesNotMatch(readFileSync(join(srv.root, 'logs', 'error_log.1'), 'utf8'), /printed-after-rotation/);
  });
});
