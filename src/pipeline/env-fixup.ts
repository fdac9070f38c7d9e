/**
 * @module pipeline/env-fixup — mod_env's fixup: SetEnv/PassEnv values (DirConfig.env strings)
 * replace or add variables in req.subprocess_env, UnsetEnv (null) removes them. httpd runs it at
 * the fixups hook before mod_python's, so PythonFixupHandler, the handler, PythonLogHandler and
 * the access log's %{VAR}e see the variables; earlier phases do not.
 */
import type { RequestRecord } from './request-record.js';

export function applyDirEnv(rec: RequestRecord): void {
  const env = rec.dir.env;
  if (!env) return;
  let table = rec.s.subprocess_env;
  let changed = false;
  for (const name in env) {
    const value = env[name];
    // Environment names compare case-insensitively in Apache's tables.
    const lower = name.toLowerCase();
    const kept = table.filter(([k]) => k.toLowerCase() !== lower);
    if (value === null || value === undefined) {
      if (kept.length === table.length) continue;
      table = kept;
    } else {
      kept.push([name, value]);
      table = kept;
    }
    changed = true;
  }
  if (changed) rec.sync.set('subprocess_env', table);
}
