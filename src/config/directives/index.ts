/**
 * @module config/directives — the one directive table: lower-case name → DirectiveSpec.
 */
import type { DirectiveSpec } from './spec.js';
import { coreDirectives } from './core.js';
import { coreDirDirectives } from './core-dir.js';
import { optionsDirectives } from './options.js';
import { mimeDirectives } from './mime.js';
import { aliasDirectives } from './alias.js';
import { dirDirectives } from './dir.js';
import { autoindexDirectives } from './autoindex.js';
import { logDirectives } from './log.js';
import { authDirectives } from './auth.js';
import { accessCompatDirectives } from './access-compat.js';
import { headerDirectives } from './headers.js';
import { envDirectives } from './env.js';
import { setEnvIfDirectives } from './setenvif.js';
import { pythonDirectives } from './python.js';
import { modpyDirectives } from './modpy.js';
import { moduleDirectives } from './modules.js';

export type { DirectiveSpec } from './spec.js';

export const ALL_DIRECTIVES: readonly DirectiveSpec[] = [
  ...coreDirectives,
  ...coreDirDirectives,
  ...optionsDirectives,
  ...mimeDirectives,
  ...aliasDirectives,
  ...dirDirectives,
  ...autoindexDirectives,
  ...logDirectives,
  ...authDirectives,
  ...accessCompatDirectives,
  ...headerDirectives,
  ...envDirectives,
  ...setEnvIfDirectives,
  ...pythonDirectives,
  ...modpyDirectives,
  ...moduleDirectives,
];

function buildTable(): ReadonlyMap<string, DirectiveSpec> {
  const map = new Map<string, DirectiveSpec>();
  for (const d of ALL_DIRECTIVES) {
    const key = d.name.toLowerCase();
    if (map.has(key)) throw new Error(`directive ${d.name} declared twice`);
    map.set(key, d);
  }
  return map;
}

export const DIRECTIVES: ReadonlyMap<string, DirectiveSpec> = buildTable();
