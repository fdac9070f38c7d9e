/**
 * @module config/mime-types — the extension → media type table (TypesConfig): httpd's
 * mime.types format ("type ext ext …", # comments), or the mime-types package's table.
 */
import { readFile } from 'node:fs/promises';
import mime from 'mime-types';

/** Parses mime.types text into ".ext" → type (later lines win, as httpd). */
export function parseMimeTypes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [type, ...exts] = line.split(/\s+/);
    for (const e of exts) map.set(`.${e.toLowerCase()}`, (type as string).toLowerCase());
  }
  return map;
}

function packageTable(): Map<string, string> {
  const map = new Map<string, string>();
  for (const [ext, type] of Object.entries(mime.types)) map.set(`.${ext}`, type);
  return map;
}

/** Loads `file`, or when undefined /etc/mime.types if readable, else the package's table.
 *  Returns the file actually used (undefined for the package table). */
export async function loadMimeTypes(file: string | undefined): Promise<{ map: Map<string, string>; file: string | undefined }> {
  if (file !== undefined) return { map: parseMimeTypes(await readFile(file, 'utf8')), file };
  try {
    return { map: parseMimeTypes(await readFile('/etc/mime.types', 'utf8')), file: '/etc/mime.types' };
  } catch {
    return { map: packageTable(), file: undefined };
  }
}
