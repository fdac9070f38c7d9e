/**
 * @module compat/lib/site — lays out one group on disk: a shared site (document root, one
 * directory per case, the common config `site.conf`) and, per server, a small wrapper config
 * that only sets what must differ (ports, error log, state directory) and includes site.conf.
 * Both servers read the very same site.conf text.
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile, chmod, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { CaseGroup, CompatCase } from './case.js';

export const APACHE_MODULES = [
  ['mpm_prefork_module', 'mod_mpm_prefork.so'],
  ['authz_core_module', 'mod_authz_core.so'],
  ['authz_host_module', 'mod_authz_host.so'],
  ['authz_user_module', 'mod_authz_user.so'],
  ['authz_groupfile_module', 'mod_authz_groupfile.so'],
  ['authn_core_module', 'mod_authn_core.so'],
  ['authn_file_module', 'mod_authn_file.so'],
  ['auth_basic_module', 'mod_auth_basic.so'],
  ['mime_module', 'mod_mime.so'],
  ['dir_module', 'mod_dir.so'],
  ['alias_module', 'mod_alias.so'],
  ['log_config_module', 'mod_log_config.so'],
  ['headers_module', 'mod_headers.so'],
  ['autoindex_module', 'mod_autoindex.so'],
  ['env_module', 'mod_env.so'],
  ['python_module', 'mod_python.so'],
] as const;

export type ServerKind = 'apache' | 'modpy';

/** The Python modpy runs in the comparison: the one Debian's mod_python.so embeds. */
export const MODPY_PYTHON = process.env['MODPY_COMPAT_PYTHON'] ?? '/usr/bin/python3';

export interface Ports {
  main: number;
  vhost: number;
  conn: number;
}

export interface GroupLayout {
  root: string;
  site: string;
  docroot: string;
  siteConf: string;
}

export function caseUrl(c: CompatCase): string {
  return `/${c.name}/`;
}

/** Replaces the case placeholders in config text and files. */
export function expand(text: string, layout: GroupLayout, c?: CompatCase): string {
  let out = text.replaceAll('${SITE}', layout.site).replaceAll('${DOCROOT}', layout.docroot);
  if (c) out = out.replaceAll('${CASE}', join(layout.docroot, c.name)).replaceAll('${URL}', caseUrl(c));
  return out;
}

export function renderSiteConf(group: CaseGroup, layout: GroupLayout, modulesDir: string): string {
  const lines = [
    `# compat group "${group.name}": the config text Apache + mod_python and modpy both read.`,
    // Debian builds some modules in (log_config): load each only when it is not already there.
    ...APACHE_MODULES.map(([name, file]) => `<IfModule !${name}>\n  LoadModule ${name} ${modulesDir}/${file}\n</IfModule>`),
    'TypesConfig /etc/mime.types',
    'ServerName 127.0.0.1',
    'Listen 127.0.0.1:${MP_PORT}',
    'Listen 127.0.0.1:${MP_PORT2}',
    'Listen 127.0.0.1:${MP_PORT3}',
    `DocumentRoot ${layout.docroot}`,
    'LogLevel info',
    'LogFormat "%h %l %u \\"%r\\" %>s %b" common',
    'CustomLog ${MP_VAR}/access.log common',
    'ServerSignature On',
    'DirectoryIndex index.html',
    '<Directory />',
    '  AllowOverride None',
    '  Require all granted',
    '</Directory>',
    `<Directory ${layout.docroot}>`,
    '  AllowOverride All',
    '  Options Indexes FollowSymLinks',
    '</Directory>',
  ];
  if (group.conf) lines.push(`# group`, expand(group.conf, layout).replaceAll('${MODULES}', modulesDir));
  for (const c of group.cases) {
    if (c.conf) lines.push(`# case ${c.name}`, expand(c.conf, layout, c));
  }
  return lines.join('\n') + '\n';
}

/** Every site file gets this mtime, so Last-Modified, listings and conditional requests are
 *  the same on both servers and on every run. */
export const SITE_MTIME = new Date('2024-01-01T00:00:00Z');

async function writeTree(base: string, files: Record<string, string>, layout: GroupLayout, c?: CompatCase): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(base, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, expand(content, layout, c));
    await utimes(path, SITE_MTIME, SITE_MTIME);
  }
}

/** Temp roots not yet removed; an interrupted run (the servers are killed by then) removes them on exit. */
const liveRoots = new Set<string>();
process.on('exit', () => {
  if (process.env['MODPY_COMPAT_KEEP'] === '1') return;
  for (const r of liveRoots) rmSync(r, { recursive: true, force: true, maxRetries: 3 });
});

/** Removes a group's temp site; a failure (a file still being written) is retried, then only
 *  reported, since it says nothing about the cases. */
export async function removeGroup(layout: GroupLayout): Promise<void> {
  try {
    await rm(layout.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    liveRoots.delete(layout.root);
  } catch (e) {
    console.error(`warning: could not remove ${layout.root}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function writeGroup(group: CaseGroup, modulesDir: string): Promise<GroupLayout> {
  const root = await mkdtemp(join(tmpdir(), `modpy-compat-${group.name}-`));
  liveRoots.add(root);
  // Apache's children may drop privileges: everything they read must be world-readable.
  await chmod(root, 0o755);
  const site = join(root, 'site');
  const docroot = join(site, 'htdocs');
  const layout: GroupLayout = { root, site, docroot, siteConf: join(site, 'site.conf') };
  await mkdir(docroot, { recursive: true });
  if (group.files) await writeTree(site, group.files, layout);
  for (const c of group.cases) {
    await mkdir(join(docroot, c.name), { recursive: true });
    if (c.files) await writeTree(join(docroot, c.name), c.files, layout, c);
  }
  await writeFile(layout.siteConf, renderSiteConf(group, layout, modulesDir));
  return layout;
}

export interface ServerDirs {
  dir: string;
  varDir: string;
  errorLog: string;
  conf: string;
}

/** The per-server wrapper: Defines for what differs, then the shared site.conf. */
export async function writeWrapper(kind: ServerKind, layout: GroupLayout, ports: Ports, maxWorkers = 1): Promise<ServerDirs> {
  const dir = join(layout.root, kind);
  const varDir = join(dir, 'var');
  const runDir = join(dir, 'run');
  await mkdir(varDir, { recursive: true });
  await mkdir(runDir, { recursive: true });
  await chmod(varDir, 0o777);
  const errorLog = join(dir, 'error.log');
  const lines = [
    `Define MP_PORT ${ports.main}`,
    `Define MP_PORT2 ${ports.vhost}`,
    `Define MP_PORT3 ${ports.conn}`,
    `Define MP_VAR ${varDir}`,
    `ServerRoot ${dir}`,
    `ErrorLog ${errorLog}`,
  ];
  lines.push(`PidFile ${runDir}/${kind}.pid`);
  if (kind === 'apache') lines.push(`DefaultRuntimeDir ${runDir}`, `Mutex file:${runDir} default`);
  lines.push(`Include ${layout.siteConf}`);
  if (kind === 'modpy') {
    // modpy's counterpart of the one-child prefork below: one worker per interpreter, running the
    // same Python as Debian's mod_python, so interpreter state and versions compare like for like.
    lines.push(`ModpyPoolDefaults processes=1 python=${MODPY_PYTHON}`);
  }
  if (kind === 'apache') {
    // One child process, so interpreter state is observable across requests (as modpy's one
    // worker per interpreter above). Requests are sent one at a time, so one child serves them.
    lines.push(
      '<IfModule mpm_prefork_module>',
      '  StartServers 1', '  MinSpareServers 1', '  MaxSpareServers 1', `  ServerLimit ${maxWorkers}`, `  MaxRequestWorkers ${maxWorkers}`,
      '</IfModule>',
    );
  }
  const conf = join(dir, `${kind}.conf`);
  await writeFile(conf, lines.join('\n') + '\n');
  return { dir, varDir, errorLog, conf };
}
