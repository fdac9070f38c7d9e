/**
 * @module auth/groups — AuthGroupFile (mod_authz_groupfile): lines "group: user1 user2 …".
 * A group may span several lines; '#' starts a comment line. Parsed files are cached by mtime.
 */
import fs from 'node:fs/promises';
import { createError } from '../errors.js';

interface Parsed {
  mtimeMs: number;
  size: number;
  /** user → groups, in file order. */
  groupsByUser: Promise<ReadonlyMap<string, readonly string[]>>;
}

const byPath = new Map<string, Parsed>();

/** Parses a group file's text into user → groups. */
export function parseGroupFile(text: string): Map<string, string[]> {
  const groupsByUser = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const group = line.slice(0, colon).trim();
    for (const user of line.slice(colon + 1).split(/\s+/)) {
      if (user === '') continue;
      const groups = groupsByUser.get(user) ?? [];
      if (!groups.includes(group)) groups.push(group);
      groupsByUser.set(user, groups);
    }
  }
  return groupsByUser;
}

/**
 * The groups `user` belongs to according to `file`.
 * @throws MPY_ERR_AUTH_GROUP_FILE when the file cannot be read
 * @example await groupsOf('/etc/apache2/groups', 'alice') // ['admins', 'staff']
 */
export async function groupsOf(file: string, user: string): Promise<string[]> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    byPath.delete(file);
    throw createError('AUTH_GROUP_FILE', `${file}: ${(err as Error).message}`);
  }
  let parsed = byPath.get(file);
  if (!parsed || parsed.mtimeMs !== stat.mtimeMs || parsed.size !== stat.size) {
    const groupsByUser = fs.readFile(file, 'latin1').then(parseGroupFile, (err: Error) => {
      byPath.delete(file);
      throw createError('AUTH_GROUP_FILE', `${file}: ${err.message}`);
    });
    parsed = { mtimeMs: stat.mtimeMs, size: stat.size, groupsByUser };
    byPath.set(file, parsed);
  }
  return [...((await parsed.groupsByUser).get(user) ?? [])];
}
