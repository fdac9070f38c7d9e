/**
 * @module config/handlers — which handler list a phase runs (spec §2.3 steps 1-2) and the
 * per-request directory of entries from wildcard/regex <Directory> sections (step 4).
 */
import { basename } from 'node:path';
import type { DirConfig, HandlerEntry, PhaseDirective } from './types.js';

/** Text from the FIRST dot of the file's last path component: "a.tar.gz" → ".tar.gz". */
export function fileExtension(filename: string | null): string | null {
  if (filename === null) return null;
  const base = basename(filename);
  const dot = base.indexOf('.');
  return dot < 0 ? null : base.slice(dot);
}

const NONE: readonly HandlerEntry[] = Object.freeze([]);

export interface PhaseHandlerList {
  readonly entries: readonly HandlerEntry[];
  readonly extension: string | null;
}

const NO_LIST: PhaseHandlerList = Object.freeze({ entries: NONE, extension: null });

/** Per handler table (frozen with its config): whether any list is keyed "Phase.ext", and the
 *  plain lists as ready-made results. Asked for every phase of every request, so it allocates
 *  nothing once a table has been seen. */
interface TableFacts {
  byExtension: boolean;
  plain: Map<string, PhaseHandlerList>;
}
const tableFacts = new WeakMap<object, TableFacts>();

function factsOf(lists: Readonly<Record<string, readonly HandlerEntry[]>>): TableFacts {
  let facts = tableFacts.get(lists);
  if (!facts) {
    facts = { byExtension: Object.keys(lists).some((k) => k.includes('.')), plain: new Map() };
    tableFacts.set(lists, facts);
  }
  return facts;
}

/** The "Phase.ext" list when the file's extension has one, else the "Phase" list. `extension`
 *  is set only when the ".ext" list was chosen (it becomes req.extension). The lists are the
 *  config's own (frozen): callers copy before changing them. */
export function handlersFor(dir: Readonly<DirConfig>, phase: PhaseDirective, filename: string | null): PhaseHandlerList {
  const lists = dir.pythonHandlers;
  if (!lists) return NO_LIST;
  const facts = factsOf(lists);
  if (facts.byExtension) {
    const ext = fileExtension(filename);
    if (ext !== null) {
      const byExt = lists[phase + ext];
      if (byExt && byExt.length > 0) return { entries: byExt, extension: ext };
    }
  }
  const entries = lists[phase];
  if (!entries) return NO_LIST;
  let plain = facts.plain.get(phase);
  if (!plain) {
    plain = Object.freeze({ entries, extension: null });
    facts.plain.set(phase, plain);
  }
  return plain;
}

/** For entries from <Directory ~ re>, <DirectoryMatch> or wildcard <Directory>: the shortest
 *  prefix of `filename` (ending in "/") the pattern matches becomes the entry's directory. Other
 *  entries are returned unchanged. With no filename (or no matching prefix) the entry keeps the
 *  pattern text as written. */
export function resolveEntryDirectory(entry: HandlerEntry, filename: string | null): HandlerEntry {
  const re = entry.directoryPattern;
  if (!re || filename === null) return entry;
  const parts = filename.split('/').filter(Boolean);
  let prefix = '/';
  for (let i = 0; i <= parts.length; i++) {
    if (re.test(prefix)) return { ...entry, directory: prefix };
    if (i < parts.length) prefix += `${parts[i]}/`;
  }
  return entry;
}
