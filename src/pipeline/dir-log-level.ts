/**
 * @module pipeline/dir-log-level — per-directory LogLevel (httpd 2.4's ap_merge_log_config): a
 * LogLevel written in <Directory>/<Location>/.htaccess replaces the server's default level when
 * it names one, and its "module:level" words overlay the server's per-module levels. The result
 * is computed once per (server level, directory level) pair, so a request pays a map lookup.
 */
import { normaliseModule, parseLogLevel, type LogLevelSetting } from '../logs/log-level.js';

const merged = new Map<string, LogLevelSetting>();
/** Distinct pairs are few (one per LogLevel line); the bound only guards odd configurations. */
const MERGED_LIMIT = 256;

/** The server's setting overlaid with a directory's LogLevel value. Throws MPY_ERR_LOG_BAD_LEVEL. */
export function mergeLogLevel(serverLevel: string, dirLevel: string): LogLevelSetting {
  const key = `${serverLevel}\0${dirLevel}`;
  let setting = merged.get(key);
  if (setting) return setting;
  const base = parseLogLevel(serverLevel);
  const dir = parseLogLevel(dirLevel);
  // parseLogLevel fills a default level when the value names none: only a bare word replaces it.
  const namesLevel = dirLevel.split(/\s+/).some((w) => w !== '' && !w.includes(':'));
  setting = { level: namesLevel ? dir.level : base.level, modules: { ...base.modules, ...dir.modules } };
  if (merged.size >= MERGED_LIMIT) merged.clear();
  merged.set(key, setting);
  return setting;
}

/** True when a message of `level` from `module` passes `setting`. */
export function levelAllows(setting: LogLevelSetting, level: number, module: string): boolean {
  const override = setting.modules[normaliseModule(module)];
  return level <= (override ?? setting.level);
}
