/** The handler list a phase runs: entries from regex <Directory> sections get the same directory
 *  the interpreter choice resolves (config/handlers resolveEntryDirectory). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { HandlerEntry } from '../../../src/config/types.js';
import { dirConfigFor } from '../../../src/config/resolve.js';
import { phaseHandlers } from '../../../src/pipeline/python-phase.js';
import type { RequestRecord } from '../../../src/pipeline/request-record.js';
import { load, tree } from '../config/helpers.js';

/** Just what phaseHandlers reads from a request. */
function recFor(filename: string, added: Record<string, HandlerEntry[]> = {}): RequestRecord {
  return { s: { filename }, addedHandlers: new Map(Object.entries(added)) } as unknown as RequestRecord;
}

void test('a regex <Directory> entry gets the shortest matching prefix, "/" included', async () => {
  const root = tree({ 'www/sub/f.py': '' });
  const cfg = await load(`
<DirectoryMatch "^/">
  PythonHandler at_root
</DirectoryMatch>
<DirectoryMatch "^${root}/w[a-z]+/">
  PythonFixupHandler at_www
</DirectoryMatch>
`);
  const file = join(root, 'www/sub/f.py');
  const { config } = await dirConfigFor(cfg, cfg.main, { uri: '/f.py', filename: file });
  assert.equal(phaseHandlers(recFor(file), 'PythonHandler', config).hlist[0]?.directory, '/');
  assert.equal(phaseHandlers(recFor(file), 'PythonFixupHandler', config).hlist[0]?.directory, `${root}/www/`);
  // Handlers added by req.add_handler go through the same resolution as the configured ones.
  const pattern = /^\/srv\/a\//;
  const added: HandlerEntry = { handler: 'added', directory: pattern.source, directoryPattern: pattern, isLocation: false, silent: false };
  const { hlist } = phaseHandlers(recFor('/srv/a/b/x.py', { PythonHandler: [added] }), 'PythonHandler', config);
  assert.deepEqual(hlist.map((e) => [e.handler, e.directory]), [['at_root', '/'], ['added', '/srv/a/']]);
});
