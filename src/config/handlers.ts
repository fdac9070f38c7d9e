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

/** The "Phase.ext" list when the file's extension has one, else the "Phase" list. `extension`
 *  is set only when the ".ext" list was chosen (it becomes req.extension). */
const NONE: readonly HandlerEntry[] = Object.freeze([]);

/** The lists are the config's own (frozen): callers copy before changing them. */
export function handlersFor(dir: Readonly<DirConfig>, phase: PhaseDirective, filename: string | null): { entries: readonly HandlerEntry[]; extension: string | null } {
  const lists = dir.pythonHandlers;
  if (!lists) return { entries: NONE, extension: null };
  const ext = fileExtension(filename);
  if (ext !== null) {
    const byExt = lists[phase + ext];
    if (byExt && byExt.length > 0) return { entries: byExt, extension: ext };
  }
  return { entries: lists[phase] ?? NONE, extension: null };
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
