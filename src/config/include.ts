/**
 * @module config/include — expands an Include/IncludeOptional path: wildcards in any path
 * component (fnmatch, sorted like httpd), and a directory means every file below it.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { configError } from '../errors.js';
import type { SourceRef } from './types.js';
import { globToRegExp, hasWildcard } from './glob.js';
import { osReason } from './os-reason.js';

/** Returns the files to read, in order. Include fails when nothing matches a wildcard or the
 *  directory cannot be opened; IncludeOptional is silent then. */
export async function expandInclude(pattern: string, optional: boolean, ref: SourceRef): Promise<string[]> {
  if (!hasWildcard(pattern)) {
    const st = await stat(pattern).catch(() => null);
    if (!st) {
      if (optional) return [];
      // parseFile produces httpd's "Could not open configuration file" message.
      return [pattern];
    }
    return st.isDirectory() ? filesBelow(pattern) : [pattern];
  }
  const parts = pattern.split(sep);
  const found = await walk(parts[0] === '' ? sep : (parts[0] as string), parts.slice(1), optional, ref);
  if (found.length === 0 && !optional) {
    const lastSlash = pattern.lastIndexOf(sep);
    throw configError('CONFIG_INCLUDE', ref.file, ref.line, `No matches for the wildcard '${pattern.slice(lastSlash + 1)}' in '${pattern.slice(0, lastSlash) || sep}', failing`);
  }
  return found;
}

async function walk(base: string, rest: string[], optional: boolean, ref: SourceRef): Promise<string[]> {
  if (rest.length === 0) {
    const st = await stat(base).catch(() => null);
    if (!st) return [];
    return st.isDirectory() ? filesBelow(base) : [base];
  }
  const [head, ...tail] = rest as [string, ...string[]];
  if (!hasWildcard(head)) return walk(join(base, head), tail, optional, ref);
  let entries: string[];
  try {
    entries = await readdir(base);
  } catch (err) {
    if (optional) return [];
    throw configError('CONFIG_INCLUDE', ref.file, ref.line, `Include/IncludeOptional: Could not open directory ${base}: ${osReason(err)}`);
  }
  const re = globToRegExp(head);
  const out: string[] = [];
  for (const name of entries.filter((e) => re.test(e) && !(e.startsWith('.') && !head.startsWith('.'))).sort()) {
    const full = join(base, name);
    if (tail.length === 0) {
      const st = await stat(full).catch(() => null);
      // A wildcard in the last component selects files only (httpd skips directories there).
      if (st?.isFile()) out.push(full);
    } else {
      out.push(...(await walk(full, tail, optional, ref)));
    }
  }
  return out;
}

/** Every regular file below a directory, sorted, recursively (httpd's directory Include). */
async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = join(dir, name);
    const st = await stat(full).catch(() => null);
    if (st?.isDirectory()) out.push(...(await filesBelow(full)));
    else if (st?.isFile()) out.push(full);
  }
  return out;
}
