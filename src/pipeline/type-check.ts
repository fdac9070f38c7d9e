/**
 * @module pipeline/type-check — Apache's type_checker for mod_mime and core: content type from
 * ForceType, AddType, TypesConfig (then DefaultType), handler from SetHandler, AddHandler
 * (RemoveHandler is applied by the config merge), and the directory magic type. Every
 * extension of the file name counts ("a.py.txt" has .py and .txt), the last match wins.
 */
import type { DirConfig } from '../config/types.js';

/** Apache's marker for directories (r->content_type of a directory). */
export const DIR_MAGIC_TYPE = 'httpd/unix-directory';

export interface TypeResult {
  contentType: string | null;
  handler: string | null;
}

/** The extensions Apache's mod_mime considers: every dot-separated part after the first. */
export function fileExtensions(filename: string): string[] {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  const parts = base.split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) if (parts[i]) out.push(`.${(parts[i] as string).toLowerCase()}`);
  return out;
}

export function checkType(dir: DirConfig, mimeTypes: ReadonlyMap<string, string>, filename: string | null, isDirectory: boolean): TypeResult {
  let contentType: string | null = null;
  let handler: string | null = null;
  if (filename !== null) {
    if (isDirectory) contentType = DIR_MAGIC_TYPE;
    else {
      for (const ext of fileExtensions(filename)) {
        const t = dir.addTypes?.[ext] ?? mimeTypes.get(ext);
        if (t) contentType = t;
        const h = dir.addHandlers?.[ext];
        if (h) handler = h;
      }
    }
  }
  if (dir.forceType) contentType = dir.forceType;
  if (contentType === null && dir.defaultType && dir.defaultType.toLowerCase() !== 'none') contentType = dir.defaultType;
  if (dir.setHandler !== undefined && dir.setHandler !== null) handler = dir.setHandler;
  if (handler === null && isDirectory) handler = DIR_MAGIC_TYPE;
  return { contentType, handler };
}

/** Output filter names active for a file: SetOutputFilter then AddOutputFilter by extension. */
export function outputFilterNames(dir: DirConfig, filename: string | null): string[] {
  const out: string[] = [...(dir.setOutputFilters ?? [])];
  if (filename !== null && dir.addOutputFilters) {
    for (const ext of fileExtensions(filename)) {
      const f = dir.addOutputFilters[ext];
      if (f) out.push(...f);
    }
  }
  return out;
}
