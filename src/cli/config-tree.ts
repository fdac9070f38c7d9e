/**
 * @module cli/config-tree — the parsed configuration as mod_python's apache.config_tree() shows
 * it: a list of (directive, args) pairs, each section followed by the list of its children.
 */
import type { ConfigNode } from '../config/types.js';

export type ConfigTree = ([string, string] | ConfigTree)[];

export function configTree(nodes: readonly ConfigNode[]): ConfigTree {
  const out: ConfigTree = [];
  for (const n of nodes) {
    if (n.children) {
      out.push([`<${n.name}`, `${n.args.join(' ')}>`]);
      out.push(configTree(n.children));
    } else {
      out.push([n.name, n.args.join(' ')]);
    }
  }
  return out;
}
