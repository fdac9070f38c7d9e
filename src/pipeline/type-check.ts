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

const NO_NAMES: readonly string[] = Object.freeze([]);

/** The last name asked for and its extensions: one request asks up to three times (type, output
 *  and input filters), and under load the next request most often names the same file. */
let lastName = '';
let lastExtensions: readonly string[] = NO_NAMES;

/** The extensions Apache's mod_mime considers: every dot-separated part after the first. */
export function fileExtensions(filename: string): readonly string[] {
  if (filename === lastName) return lastExtensions;
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  const parts = base.split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) if (parts[i]) out.push(`.${(parts[i] as string).toLowerCase()}`);
  lastName = filename;
  lastExtensions = Object.freeze(out);
  return lastExtensions;
}

/** mod_mime's type_checker: AddType/TypesConfig, AddHandler, DefaultType, the directory type. */
export function mimeType(dir: DirConfig, mimeTypes: ReadonlyMap<string, string>, filename: string | null, isDirectory: boolean): TypeResult {
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
  if (contentType === null && !dir.forceType && dir.defaultType && dir.defaultType.toLowerCase() !== 'none') contentType = dir.defaultType;
  if (handler === null && isDirectory) handler = DIR_MAGIC_TYPE;
  return { contentType, handler };
}

/** core's fixup (APR_HOOK_REALLY_FIRST, before PythonFixupHandler): ForceType and SetHandler
 *  override whatever the type phase chose — also after a PythonTypeHandler returned OK. */
export function overrideType(dir: DirConfig): TypeResult {
  return {
    contentType: dir.forceType ?? null,
    handler: dir.setHandler !== undefined && dir.setHandler !== null && dir.setHandler.toLowerCase() !== 'none' ? dir.setHandler : null,
  };
}

/** The handler names mod_python answers to (any case). */
export function isPythonHandler(handler: string | null): boolean {
  if (handler === null) return false;
  const h = handler.toLowerCase();
  return h === 'mod_python' || h === 'python-program';
}

/** The extensions `AddHandler mod_python` maps, without dots (req.get_addhandler_exts()). */
export function addHandlerExts(dir: DirConfig): string {
  const out: string[] = [];
  for (const [ext, h] of Object.entries(dir.addHandlers ?? {})) if (isPythonHandler(h)) out.push(ext.replace(/^\./, ''));
  return out.join(' ');
}

/** Output filter names active for a file: SetOutputFilter then AddOutputFilter by extension. */
export function outputFilterNames(dir: DirConfig, filename: string | null): readonly string[] {
  return filterNames(dir.setOutputFilters, dir.addOutputFilters, filename);
}

/** The same for input filters (SetInputFilter, AddInputFilter). */
export function inputFilterNames(dir: DirConfig, filename: string | null): readonly string[] {
  return filterNames(dir.setInputFilters, dir.addInputFilters, filename);
}

/** Runs for both chains of every request: without an extension match it returns the
 *  configured list itself (or a shared empty one) instead of a copy. */
function filterNames(set: readonly string[] | undefined, byExt: Readonly<Record<string, readonly string[]>> | undefined, filename: string | null): readonly string[] {
  if (filename === null || !byExt) return set ?? NO_NAMES;
  let out: string[] | null = null;
  for (const ext of fileExtensions(filename)) {
    const f = byExt[ext];
    if (f) (out ??= [...(set ?? NO_NAMES)]).push(...f);
  }
  return out ?? set ?? NO_NAMES;
}
