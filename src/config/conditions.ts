/**
 * @module config/conditions — the conditional sections httpd evaluates while reading:
 * <IfModule>, <IfDefine>, <IfVersion>, and 2.4.34's <IfFile>, <IfDirective>, <IfSection>.
 * Each takes one argument, `!` negates (IfVersion has its own operators).
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { SourceRef } from './types.js';
import { moduleIsLoaded } from './modules.js';
import { ifVersionHolds } from './if-version.js';
import { DIRECTIVES } from './directives/index.js';

const KINDS = new Set(['ifmodule', 'ifdefine', 'ifversion', 'iffile', 'ifdirective', 'ifsection']);

/** Sections modpy knows (for <IfSection>), lower-case, without "<". */
const SECTIONS = new Set([
  'virtualhost', 'directory', 'directorymatch', 'files', 'filesmatch', 'location', 'locationmatch', 'limit', 'limitexcept',
  'requireall', 'requireany', 'requirenone', ...KINDS,
]);

export function isConditional(lowerName: string): boolean {
  return KINDS.has(lowerName);
}

export interface ConditionState {
  serverRoot: string;
  defines: ReadonlySet<string>;
  modules: ReadonlySet<string>;
}

export async function conditionHolds(kind: string, args: string[], source: SourceRef, state: ConditionState): Promise<boolean> {
  if (kind === 'ifversion') return ifVersionHolds(args, source);
  const raw = args[0] as string;
  const negated = raw.startsWith('!');
  const name = negated ? raw.slice(1) : raw;
  let present: boolean;
  switch (kind) {
    case 'ifmodule':
      present = moduleIsLoaded(state.modules, name);
      break;
    case 'ifdefine':
      present = state.defines.has(name);
      break;
    case 'iffile':
      present = (await stat(isAbsolute(name) ? name : resolve(state.serverRoot, name)).catch(() => null)) !== null;
      break;
    case 'ifdirective':
      present = DIRECTIVES.has(name.toLowerCase());
      break;
    default:
      present = SECTIONS.has(name.replace(/^</, '').toLowerCase());
  }
  return present !== negated;
}
