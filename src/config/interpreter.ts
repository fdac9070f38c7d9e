/**
 * @module config/interpreter — the interpreter (worker pool) name for a handler, exactly as
 * mod_python's select_interp_name (spec §2.4).
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DirConfig, HandlerEntry, ServerConf } from './types.js';
import { resolveEntryDirectory } from './handlers.js';

export const MAIN_INTERPRETER = 'main_interpreter';

/**
 * 1. PythonInterpreter → that name.
 * 2. PythonInterpPerDirectory On → the directory of `filename` with a trailing "/" (the
 *    filename itself when it is a directory); no filename yet → main_interpreter.
 * 3. PythonInterpPerDirective On → the directory recorded with the first entry (resolved for
 *    regex sections); none (server level) → main_interpreter.
 * 4. Otherwise the server's ServerName.
 * `isDirectory` says whether filename is a directory; when omitted a trailing "/" or a stat
 * decides.
 */
export function selectInterpreterName(
  dir: Readonly<DirConfig>,
  server: ServerConf,
  filename: string | null,
  firstEntry: HandlerEntry | undefined,
  isDirectory?: boolean,
): string {
  const d = dir.pythonDirectives ?? {};
  const forced = d.PythonInterpreter;
  if (forced !== undefined && forced !== '') return forced;
  if (d.PythonInterpPerDirectory === '1') {
    if (filename === null) return MAIN_INTERPRETER;
    const isDir = isDirectory ?? (filename.endsWith('/') || statIsDirectory(filename));
    if (isDir) return filename.endsWith('/') ? filename : `${filename}/`;
    const parent = dirname(filename);
    return parent.endsWith('/') ? parent : `${parent}/`;
  }
  if (d.PythonInterpPerDirective === '1') {
    if (!firstEntry) return MAIN_INTERPRETER;
    const directory = resolveEntryDirectory(firstEntry, filename).directory;
    return directory ?? MAIN_INTERPRETER;
  }
  return server.serverName ?? MAIN_INTERPRETER;
}

function statIsDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
