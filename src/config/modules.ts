/**
 * @module config/modules — which httpd modules modpy provides itself. Those are always present
 * (like modules compiled into httpd), so `<IfModule mod_mime.c>` is true without LoadModule and
 * `LoadModule mime_module …` is accepted silently. Modules modpy lacks are accepted by LoadModule
 * with a warning and stay absent, so their directives error unless wrapped in <IfModule>.
 */

/** Module identifier → source file name (both spellings work in <IfModule>). */
const BUILTIN: Readonly<Record<string, string>> = {
  core_module: 'core.c',
  http_module: 'http_core.c',
  so_module: 'mod_so.c',
  python_module: 'mod_python.c',
  mime_module: 'mod_mime.c',
  dir_module: 'mod_dir.c',
  alias_module: 'mod_alias.c',
  log_config_module: 'mod_log_config.c',
  auth_basic_module: 'mod_auth_basic.c',
  authn_file_module: 'mod_authn_file.c',
  authn_core_module: 'mod_authn_core.c',
  authz_core_module: 'mod_authz_core.c',
  authz_host_module: 'mod_authz_host.c',
  authz_user_module: 'mod_authz_user.c',
  authz_groupfile_module: 'mod_authz_groupfile.c',
  access_compat_module: 'mod_access_compat.c',
  unixd_module: 'mod_unixd.c',
  headers_module: 'mod_headers.c',
  autoindex_module: 'mod_autoindex.c',
  env_module: 'mod_env.c',
  setenvif_module: 'mod_setenvif.c',
  version_module: 'mod_version.c',
  // modpy itself, so one file can serve both servers: <IfModule modpy_module> holds only here.
  modpy_module: 'modpy.c',
};

/** MPMs: only the one the configuration loads is present (httpd runs exactly one). All MPM
 *  tuning directives are accepted either way, as no-ops (workers are modpy's own pools). */
const MPMS: Readonly<Record<string, string>> = {
  mpm_prefork_module: 'prefork.c',
  mpm_worker_module: 'worker.c',
  mpm_event_module: 'event.c',
};

export function isBuiltinModule(id: string): boolean {
  return id in BUILTIN;
}

export function isMpmModule(id: string): boolean {
  return id in MPMS;
}

/** The module ids present before any LoadModule. */
export function builtinModules(): Set<string> {
  return new Set(Object.keys(BUILTIN));
}

/** True when `name` (an id like `python_module` or a file like `mod_python.c`) is in `loaded`. */
export function moduleIsLoaded(loaded: ReadonlySet<string>, name: string): boolean {
  if (loaded.has(name)) return true;
  for (const id of loaded) {
    if (BUILTIN[id] === name || MPMS[id] === name) return true;
  }
  return false;
}
