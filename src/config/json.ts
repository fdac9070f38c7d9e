/**
 * @module config/json — a JSON view of a LoadedConfig for `modpy config --json`: Sets and Maps
 * become arrays/objects, RegExps their source, and the parse tree is left out (it is long and
 * `modpy config --tree` can print it).
 */
import type { LoadedConfig } from './types.js';

function toPlain(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof RegExp) return value.source;
  if (value instanceof Set) return [...value].map((v) => toPlain(v, seen));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v, seen)]));
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => toPlain(v, seen));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlain(v, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

export function configToJSON(cfg: LoadedConfig): unknown {
  const { tree: _tree, mimeTypes, ...rest } = cfg;
  const plain = toPlain(rest, new WeakSet()) as Record<string, unknown>;
  plain.mimeTypes = { count: mimeTypes.size };
  // A <Files> section nested in a <Directory> points at it; show only where it was written.
  for (const server of [plain.main, ...(plain.vhosts as unknown[])] as { sections?: { within?: unknown }[] }[]) {
    for (const s of server.sections ?? []) {
      const w = s.within as { kind?: string; pattern?: string } | undefined;
      if (w) s.within = `${w.kind} ${w.pattern}`;
    }
  }
  return plain;
}
