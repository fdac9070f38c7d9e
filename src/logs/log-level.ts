/**
 * @module logs/log-level — Apache's LogLevel: the level names, their APLOG numbers and the
 * parser for "warn", "info mod_python:debug", "trace3 ssl:warn".
 */
import { createError } from '../errors.js';

/** APLOG_EMERG … APLOG_DEBUG are 0..7 (syslog); trace1..trace8 continue as 8..15. */
export const LEVEL_NAMES = [
  'emerg',
  'alert',
  'crit',
  'error',
  'warn',
  'notice',
  'info',
  'debug',
  'trace1',
  'trace2',
  'trace3',
  'trace4',
  'trace5',
  'trace6',
  'trace7',
  'trace8',
] as const;

export type LevelName = (typeof LEVEL_NAMES)[number];

export const APLOG = {
  EMERG: 0,
  ALERT: 1,
  CRIT: 2,
  ERR: 3,
  WARNING: 4,
  NOTICE: 5,
  INFO: 6,
  DEBUG: 7,
  TRACE1: 8,
  TRACE8: 15,
} as const;

/** Apache's default when no LogLevel is configured. */
export const DEFAULT_LEVEL = APLOG.WARNING;

export interface LogLevelSetting {
  level: number;
  /** Per-module overrides keyed by the normalised module name (see normaliseModule). */
  modules: Record<string, number>;
}

/** The name Apache prints for a level number ("error", "trace3"); out-of-range clamps. */
export function levelName(level: number): LevelName {
  const i = Math.min(Math.max(Math.trunc(level), 0), LEVEL_NAMES.length - 1);
  return LEVEL_NAMES[i] as LevelName;
}

/**
 * Apache accepts "ssl", "mod_ssl" and "mod_ssl.c" for the same module in LogLevel; we compare
 * modules by the bare name so "mod_python:debug" matches messages tagged "python" or "mod_python".
 */
export function normaliseModule(name: string): string {
  return name
    .toLowerCase()
    .replace(/\.c$/, '')
    .replace(/^mod_/, '');
}

function levelNumber(word: string, whole: string): number {
  const i = (LEVEL_NAMES as readonly string[]).indexOf(word.toLowerCase());
  if (i < 0) {
    throw createError('LOG_BAD_LEVEL', whole, LEVEL_NAMES.join(' | '));
  }
  return i;
}

/**
 * Parses a LogLevel value. A bare level sets the default; "module:level" entries override it
 * for one module; like Apache, later words win.
 * @example parseLogLevel('info mod_python:debug') // { level: 6, modules: { python: 7 } }
 */
export function parseLogLevel(value: string): LogLevelSetting {
  const words = value.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) throw createError('LOG_BAD_LEVEL', value, LEVEL_NAMES.join(' | '));
  const setting: LogLevelSetting = { level: DEFAULT_LEVEL, modules: {} };
  for (const word of words) {
    const colon = word.lastIndexOf(':');
    if (colon < 0) {
      setting.level = levelNumber(word, value);
      continue;
    }
    const module = word.slice(0, colon);
    if (module === '') throw createError('LOG_BAD_LEVEL', value, LEVEL_NAMES.join(' | '));
    setting.modules[normaliseModule(module)] = levelNumber(word.slice(colon + 1), value);
  }
  return setting;
}
