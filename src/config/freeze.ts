/**
 * @module config/freeze — freezes per-directory configs so no request can change shared
 * configuration by accident. The tables Python reads (PythonOption, the Python* directive
 * values, handler lists) are frozen too: a frozen value cannot change, so a worker is sent it
 * once and by reference afterwards (workers/ref-table.ts).
 */
import type { DirConfig, ServerConf } from './types.js';

/** Freezes `d` and the Python tables it holds; returns `d`. */
export function freezeDir<T extends DirConfig>(d: T): Readonly<T> {
  if (d.pythonDirectives) Object.freeze(d.pythonDirectives);
  if (d.pythonOptions) Object.freeze(d.pythonOptions);
  if (d.pythonHandlers) {
    for (const list of Object.values(d.pythonHandlers)) Object.freeze(list);
    Object.freeze(d.pythonHandlers);
  }
  return Object.isFrozen(d) ? d : Object.freeze(d);
}

export function freezeServer(s: ServerConf): ServerConf {
  s.dirDefaults = freezeDir(s.dirDefaults);
  for (const sec of s.sections) sec.config = freezeDir(sec.config);
  return s;
}
