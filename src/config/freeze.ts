/**
 * @module config/freeze — freezes the per-directory configs of a loaded server so no request
 * can change shared configuration by accident.
 */
import type { DirConfig, ServerConf } from './types.js';

function freezeDir(d: DirConfig): DirConfig {
  if (Object.isFrozen(d)) return d;
  return Object.freeze(d);
}

export function freezeServer(s: ServerConf): ServerConf {
  s.dirDefaults = freezeDir(s.dirDefaults);
  for (const sec of s.sections) sec.config = freezeDir(sec.config);
  return s;
}
