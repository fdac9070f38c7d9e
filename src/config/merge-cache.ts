/**
 * @module config/merge-cache — memoised mergeDirConfig for frozen inputs. Server defaults,
 * section configs and cached .htaccess configs are frozen and shared, so the same chain of
 * merges recurs on every request to the same place; the result is kept per (parent, child)
 * pair and dies with either object.
 */
import type { DirConfig } from './types.js';
import { mergeDirConfig } from './merge.js';

const cache = new WeakMap<Readonly<DirConfig>, WeakMap<Readonly<DirConfig>, Readonly<DirConfig>>>();

export function mergeFrozen(parent: Readonly<DirConfig>, child: Readonly<DirConfig>): Readonly<DirConfig> {
  if (!Object.isFrozen(parent) || !Object.isFrozen(child)) return mergeDirConfig(parent, child);
  let byChild = cache.get(parent);
  if (!byChild) {
    byChild = new WeakMap();
    cache.set(parent, byChild);
  }
  let merged = byChild.get(child);
  if (!merged) {
    merged = mergeDirConfig(parent, child);
    byChild.set(child, merged);
  }
  return merged;
}
