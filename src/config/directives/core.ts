/**
 * @module config/directives/core — httpd core directives: server identity, listeners,
 * limits, timeouts, Options/AllowOverride and the other per-directory core settings.
 */
import { isAbsolute, resolve } from 'node:path';
import type { OptionsSet, OverrideClass } from '../types.js';
import { type ApplyContext, type DirectiveSpec, ALL, NOT_HTACCESS, RSRC, SERVER, accepted, fail, parseCount, parseFlag, parseTimeoutMs } from './spec.js';
import { parseListen } from './listen.js';

export function serverPath(ctx: ApplyContext, p: string): string {
  return isAbsolute(p) ? p : resolve(ctx.serverRoot, p);
}

const OPTION_NAMES: Readonly<Record<string, (keyof OptionsSet)[]>> = {
  indexes: ['indexes'],
  includes: ['includes'],
  includesnoexec: ['includes', 'includesNoExec'],
  followsymlinks: ['followSymLinks'],
  symlinksifownermatch: ['symLinksIfOwnerMatch'],
  execcgi: ['execCGI'],
  multiviews: ['multiViews'],
  // httpd: All is everything except MultiViews.
  all: ['indexes', 'includes', 'followSymLinks', 'symLinksIfOwnerMatch', 'execCGI'],
  none: [],
};

const ALL_OPTION_FIELDS: (keyof OptionsSet)[] = ['indexes', 'followSymLinks', 'symLinksIfOwnerMatch', 'execCGI', 'includes', 'includesNoExec', 'multiViews'];

/** Options as httpd: an absolute list sets every option; a +/- list changes only those named. */
export function parseOptions(args: string[], ctx: ApplyContext): OptionsSet {
  const relative = args.map((a) => a.startsWith('+') || a.startsWith('-'));
  if (relative.some((r) => r) && relative.some((r) => !r)) fail(ctx, 'Either all Options must start with + or -, or no Option may.');
  const out: OptionsSet = {};
  if (!relative.some((r) => r)) for (const f of ALL_OPTION_FIELDS) out[f] = false;
  for (const arg of args) {
    const sign = arg[0] === '+' || arg[0] === '-' ? arg[0] : '';
    const name = arg.slice(sign.length);
    const fields = OPTION_NAMES[name.toLowerCase()];
    if (sign && name.toLowerCase() === 'none') fail(ctx, "You may not use 'Options +None' or 'Options -None'.");
    if (!fields) fail(ctx, `Illegal option ${name}`);
    if (ctx.where === 'htaccess' && ctx.allowedOptions && !ctx.allowedOptions.some((o) => o.toLowerCase() === name.toLowerCase())) {
      fail(ctx, `Option ${name} not allowed here`);
    }
    const on = sign !== '-';
    for (const f of fields) out[f] = on;
    // Includes without NOEXEC lifts a previous IncludesNOEXEC.
    if (on && name.toLowerCase() === 'includes') out.includesNoExec = false;
  }
  return out;
}

const OVERRIDE_CLASSES: OverrideClass[] = ['AuthConfig', 'FileInfo', 'Indexes', 'Limit', 'Options'];

export const coreDirectives: DirectiveSpec[] = [
  {
    name: 'ServerRoot',
    module: 'core',
    args: 'take1',
    contexts: SERVER,
    syntax: 'ServerRoot directory-path',
    default: 'the directory above the config file when that directory is named conf, else the config file\'s directory',
    help: 'base directory for relative paths in the configuration',
    differs: 'Default: derived from the config file\'s location (httpd: a compiled-in path). -d sets it; the directive wins over -d, as in httpd.',
    apply: () => undefined, // read by the parser, which needs it for Include
  },
  {
    name: 'Listen',
    module: 'core',
    args: 'take12',
    contexts: SERVER,
    syntax: 'Listen [IP-address:]portnumber [protocol]',
    default: '—',
    help: 'an address and port to accept connections on',
    apply(t, args, ctx) {
      const spec = parseListen(args[0] as string, args[1], ctx);
      if (t.global.listen.some((l) => l.address === spec.address && l.port === spec.port)) {
        fail(ctx, 'Cannot define multiple Listeners on the same IP:port');
      }
      t.global.listen.push(spec);
    },
  },
  {
    name: 'ServerName',
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: 'ServerName [scheme://]domain-name|ip-address[:port]',
    default: 'the host name of the machine',
    help: 'the host name (and port) the server identifies itself with',
    apply(t, args, ctx) {
      const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/i.exec(args[0] as string);
      if (!m) fail(ctx, `Invalid ServerName "${args[0]}" use address:port or [ipv6]:port`);
      t.server.serverName = m[1] as string;
      if (m[2] !== undefined) t.server.serverNamePort = Number(m[2]);
    },
  },
  {
    name: 'ServerAlias',
    module: 'core',
    args: 'iterate',
    contexts: RSRC,
    syntax: 'ServerAlias hostname [hostname] ...',
    default: '—',
    help: 'other names (wildcards allowed) this virtual host answers to',
    apply(t, args, ctx) {
      if (!t.server.isVirtual) fail(ctx, 'ServerAlias only used in <VirtualHost>');
      t.server.serverAliases.push(...args.map((a) => a.toLowerCase()));
    },
  },
  {
    name: 'ServerAdmin',
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: 'ServerAdmin email-address|URL',
    default: '—',
    help: 'the address shown on error pages',
    apply(t, args) {
      t.server.serverAdmin = args[0] as string;
    },
  },
  {
    name: 'DocumentRoot',
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: 'DocumentRoot directory-path',
    default: 'DocumentRoot htdocs (relative to ServerRoot)',
    help: 'the directory URLs are mapped to',
    apply(t, args, ctx) {
      const p = serverPath(ctx, args[0] as string);
      t.server.documentRoot = p.length > 1 ? p.replace(/\/+$/, '') : p;
    },
  },
  {
    name: 'Options',
    module: 'core',
    args: 'raw',
    contexts: ALL,
    override: 'Options',
    syntax: 'Options [+|-]option [[+|-]option] ...',
    default: 'Options FollowSymlinks',
    help: 'features enabled in a directory: Indexes, Includes, IncludesNOEXEC, FollowSymLinks, SymLinksIfOwnerMatch, ExecCGI, MultiViews, All, None',
    differs: 'Only Indexes and FollowSymLinks/SymLinksIfOwnerMatch change what modpy does; the others are kept for Python code (and req.get_config) only.',
    apply(t, args, ctx) {
      t.dir.options = { ...t.dir.options, ...parseOptions(args, ctx) };
    },
  },
  {
    name: 'AllowOverride',
    module: 'core',
    args: 'iterate',
    contexts: ['directory'],
    syntax: 'AllowOverride All|None|directive-type [directive-type] ...',
    default: 'AllowOverride None',
    help: 'which directive classes .htaccess files may use',
    note: 'As in httpd 2.4: without any AllowOverride, .htaccess files are still read and every directive in them is an error (500); only an explicit AllowOverride None skips them.',
    apply(t, args, ctx) {
      if (ctx.sectionKind !== 'directory' && ctx.sectionKind !== 'directorymatch') {
        t.global.warnings.push(`AH00114: Useless use of AllowOverride in line ${ctx.source.line} of ${ctx.source.file}.`);
        return;
      }
      const set = new Set<OverrideClass>();
      let options: string[] | undefined;
      for (const a of args) {
        const [word, list] = a.split('=', 2) as [string, string | undefined];
        const lw = word.toLowerCase();
        if (lw === 'none') set.clear();
        else if (lw === 'all') for (const c of OVERRIDE_CLASSES) set.add(c);
        else {
          const cls = OVERRIDE_CLASSES.find((c) => c.toLowerCase() === lw);
          if (!cls) fail(ctx, `Illegal override option ${a}`);
          set.add(cls);
          if (cls === 'Options' && list !== undefined) {
            options = list.split(',').filter(Boolean);
            for (const o of options) if (!OPTION_NAMES[o.toLowerCase()] || o.toLowerCase() === 'none') fail(ctx, `Illegal option ${o}`);
          }
        }
      }
      t.dir.allowOverride = set;
      if (options) t.dir.allowOverrideOptions = options;
      else delete t.dir.allowOverrideOptions;
    },
  },
  {
    name: 'AccessFileName',
    module: 'core',
    args: 'iterate',
    contexts: RSRC,
    syntax: 'AccessFileName filename [filename] ...',
    default: 'AccessFileName .htaccess',
    help: 'names of the per-directory configuration files',
    apply(t, args) {
      t.server.accessFileName = [...args];
    },
  },
  {
    name: 'SetHandler',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'SetHandler handler-name|None',
    default: '—',
    help: 'the handler for every file in scope (mod_python or python-program for Python)',
    apply(t, args) {
      const h = args[0] as string;
      t.dir.setHandler = h.toLowerCase() === 'none' ? null : h.toLowerCase();
    },
  },
  {
    name: 'ForceType',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'ForceType media-type|None',
    default: '—',
    help: 'the media type of every file in scope',
    apply(t, args) {
      const v = args[0] as string;
      t.dir.forceType = v.toLowerCase() === 'none' ? null : v.toLowerCase();
    },
  },
  {
    name: 'DefaultType',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'DefaultType media-type|none',
    default: '—',
    help: 'media type for files whose type is unknown',
    differs: 'httpd 2.4 ignores it (with a warning); modpy uses it for files with no known type.',
    apply(t, args) {
      t.dir.defaultType = (args[0] as string).toLowerCase();
    },
  },
  {
    name: 'ErrorDocument',
    module: 'core',
    args: 'take2',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'ErrorDocument error-code document',
    default: '—',
    help: 'a custom error response: a local URL, a remote URL, a quoted message, or default',
    differs: 'A message that starts with "/" is taken as a local URL (httpd treats one containing a space as text).',
    apply(t, args, ctx) {
      const code = Number(args[0]);
      if (!/^\d{3}$/.test(args[0] as string) || code < 400 || code > 599) fail(ctx, `Unsupported HTTP response code ${args[0]}`);
      // Stored as written: "/path" = local URL, "scheme://…" = redirect, anything else = the text
      // itself; "default" cancels an inherited document (mergeDirConfig drops it).
      t.dir.errorDocuments = { ...t.dir.errorDocuments, [code]: args[1] as string };
    },
  },
  {
    name: 'Timeout',
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: 'Timeout seconds',
    default: 'Timeout 60',
    help: 'seconds to wait for I/O on a connection; also the default Python request deadline',
    apply(t, args, ctx) {
      t.server.timeout = parseTimeoutMs('Timeout', args[0] as string, ctx) / 1000;
    },
  },
  {
    name: 'KeepAlive',
    module: 'core',
    args: 'flag',
    contexts: RSRC,
    syntax: 'KeepAlive On|Off',
    default: 'KeepAlive On',
    help: 'allows persistent connections',
    apply(t, args, ctx) {
      t.server.keepAlive = parseFlag('KeepAlive', args[0] as string, ctx);
    },
  },
  {
    name: 'KeepAliveTimeout',
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: 'KeepAliveTimeout num[ms]',
    default: 'KeepAliveTimeout 5',
    help: 'how long an idle persistent connection is kept',
    apply(t, args, ctx) {
      t.server.keepAliveTimeout = parseTimeoutMs('KeepAliveTimeout', args[0] as string, ctx) / 1000;
    },
  },
  {
    name: 'MaxKeepAliveRequests',
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: 'MaxKeepAliveRequests number',
    default: 'MaxKeepAliveRequests 100',
    help: 'requests per persistent connection (0 = unlimited)',
    apply(t, args, ctx) {
      t.server.maxKeepAliveRequests = parseCount(args[0] as string, ctx, 'MaxKeepAliveRequests requires a non-negative integer.');
    },
  },
  {
    name: 'LimitRequestBody',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'Any',
    syntax: 'LimitRequestBody bytes',
    default: 'LimitRequestBody 1073741824',
    help: 'largest request body accepted (0 = unlimited)',
    apply(t, args, ctx) {
      const n = parseCount(args[0] as string, ctx, 'LimitRequestBody requires a non-negative integer.');
      if (n > 2147483647) fail(ctx, 'LimitRequestBody requires a non-negative integer.');
      t.dir.limitRequestBody = n;
    },
  },
  limit('LimitRequestFields', 'limitRequestFields', 'LimitRequestFields 100', 'most request header fields accepted'),
  limit('LimitRequestFieldSize', 'limitRequestFieldSize', 'LimitRequestFieldSize 8190', 'largest request header field accepted, in bytes'),
  limit('LimitRequestLine', 'limitRequestLine', 'LimitRequestLine 8190', 'longest request line accepted, in bytes'),
  {
    name: 'ServerTokens',
    module: 'core',
    args: 'take1',
    contexts: SERVER,
    syntax: 'ServerTokens Major|Minor|Min[imal]|Prod[uctOnly]|OS|Full',
    default: 'ServerTokens Full',
    help: 'how much the Server header says',
    apply(t, args, ctx) {
      const v = (args[0] as string).toLowerCase();
      const map: Record<string, 'Full' | 'OS' | 'Minimal' | 'Minor' | 'Major' | 'Prod'> = {
        full: 'Full', os: 'OS', min: 'Minimal', minimal: 'Minimal', minor: 'Minor', major: 'Major', prod: 'Prod', productonly: 'Prod',
      };
      const tok = map[v];
      if (!tok) fail(ctx, "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'");
      t.global.serverTokens = tok;
    },
  },
  {
    name: 'ServerSignature',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'Any',
    syntax: 'ServerSignature On|Off|EMail',
    default: 'ServerSignature Off',
    help: 'the footer line on server-generated pages',
    apply(t, args, ctx) {
      const v = (args[0] as string).toLowerCase();
      const map: Record<string, 'On' | 'Off' | 'EMail'> = { on: 'On', off: 'Off', email: 'EMail' };
      const sig = map[v];
      if (!sig) fail(ctx, 'ServerSignature: use one of: off | on | email');
      t.dir.serverSignature = sig;
    },
  },
  {
    name: 'PidFile',
    module: 'core',
    args: 'take1',
    contexts: SERVER,
    syntax: 'PidFile filename',
    default: 'PidFile logs/httpd.pid',
    help: 'where the server writes its process id',
    apply(t, args, ctx) {
      t.global.pidFile = serverPath(ctx, args[0] as string);
    },
  },
  {
    name: 'AcceptPathInfo',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'AcceptPathInfo On|Off|Default',
    default: 'AcceptPathInfo Default',
    help: 'whether trailing path information after a file name is accepted',
    apply(t, args, ctx) {
      const v = (args[0] as string).toLowerCase();
      const map: Record<string, 'On' | 'Off' | 'Default'> = { on: 'On', off: 'Off', default: 'Default' };
      const r = map[v];
      if (!r) fail(ctx, 'AcceptPathInfo must be set to on, off, or default');
      t.dir.acceptPathInfo = r;
    },
  },
  {
    name: 'AddDefaultCharset',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'AddDefaultCharset On|Off|charset',
    default: 'AddDefaultCharset Off',
    help: 'charset added to text/plain and text/html responses without one',
    apply(t, args) {
      const v = args[0] as string;
      t.dir.addDefaultCharset = v.toLowerCase() === 'off' ? null : v.toLowerCase() === 'on' ? 'iso-8859-1' : v;
    },
  },
  {
    name: 'NameVirtualHost',
    module: 'core',
    args: 'take1',
    contexts: SERVER,
    syntax: 'NameVirtualHost addr[:port]',
    default: '—',
    help: 'httpd 2.2\'s switch for name-based virtual hosts (no effect since 2.4)',
    apply(t, _args, ctx) {
      t.global.warnings.push(`AH00548: NameVirtualHost has no effect and will be removed in the next release ${ctx.source.file}:${ctx.source.line}`);
    },
  },
  accepted('AllowOverrideList', 'core', 'iterate', ['directory'], 'AllowOverrideList None|directive [directive-type] ...', 'single directives .htaccess files may use', 'Accepted and ignored: only AllowOverride classes decide what .htaccess may contain.'),
  accepted('FileETag', 'core', 'iterate', ALL, 'FileETag component ...', 'file attributes used in ETags', 'Accepted and ignored: static ETags come from the file size and mtime.', 'FileInfo'),
  accepted('HostnameLookups', 'core', 'take1', NOT_HTACCESS, 'HostnameLookups On|Off|Double', 'reverse DNS of clients', 'Accepted and ignored: modpy never looks up client names (like HostnameLookups Off).'),
  accepted('UseCanonicalName', 'core', 'take1', NOT_HTACCESS, 'UseCanonicalName On|Off|DNS', 'how the server builds its own URLs', 'Accepted and ignored: modpy uses the Host header (like Off).'),
  accepted('EnableSendfile', 'core', 'flag', ALL, 'EnableSendfile On|Off', 'use sendfile for static files', 'Accepted and ignored.', 'FileInfo'),
  accepted('EnableMMAP', 'core', 'flag', ALL, 'EnableMMAP On|Off', 'use mmap for static files', 'Accepted and ignored.', 'FileInfo'),
  accepted('TraceEnable', 'core', 'take1', RSRC, 'TraceEnable On|Off|extended', 'TRACE method handling', 'Accepted and ignored: modpy answers TRACE with 405.'),
  accepted('DefaultRuntimeDir', 'core', 'take1', SERVER, 'DefaultRuntimeDir directory-path', 'directory for runtime files', 'Accepted and ignored.'),
  accepted('Mutex', 'core', 'raw', SERVER, 'Mutex mechanism [default|mutex-name] ...', 'locking mechanism', 'Accepted and ignored: modpy\'s locks are its own.'),
  accepted('LimitInternalRecursion', 'core', 'take12', RSRC, 'LimitInternalRecursion number [number]', 'depth of internal redirects', 'Accepted and ignored: modpy uses a fixed limit of 10.'),
  accepted('HttpProtocolOptions', 'core', 'iterate', RSRC, 'HttpProtocolOptions [Strict|Unsafe] ...', 'request parsing strictness', 'Accepted and ignored: Node\'s parser is strict.'),
  accepted('ServerSignatureEmail', 'core', 'take1', RSRC, 'ServerSignatureEmail address', '—', 'Accepted and ignored.'),
  { ...accepted('Include', 'core', 'take1', ['server', 'vhost', 'directory'], 'Include file-path|directory-path|wildcard', 'reads other configuration files; fails when a wildcard matches nothing', ''), default: '—' },
  { ...accepted('IncludeOptional', 'core', 'take1', ['server', 'vhost', 'directory'], 'IncludeOptional file-path|directory-path|wildcard', 'reads other configuration files; silent when nothing matches', ''), default: '—' },
  { ...accepted('Define', 'core', 'take12', ['server', 'vhost', 'directory'], 'Define name [value]', 'defines a name for <IfDefine> and, with a value, ${name}', ''), default: '—' },
  { ...accepted('UnDefine', 'core', 'take1', ['server', 'vhost', 'directory'], 'UnDefine name', 'undoes a Define', ''), default: '—' },
];

function limit(name: string, field: 'limitRequestFields' | 'limitRequestFieldSize' | 'limitRequestLine', def: string, help: string): DirectiveSpec {
  return {
    name,
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: `${name} number`,
    default: def,
    help,
    apply(t, args, ctx) {
      t.server[field] = parseCount(args[0] as string, ctx, `${name} requires a non-negative integer.`);
    },
  };
}
