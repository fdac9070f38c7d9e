/**
 * @module config/directives/core — httpd core directives about the server itself: identity,
 * listeners, connection limits and timeouts, and core directives accepted as no-ops.
 */
import { type DirectiveSpec, NOT_HTACCESS, RSRC, SERVER, accepted, fail, parseCount, parseFlag, parseKeyword, parseTimeoutMs, serverPath } from './spec.js';
import { parseListen } from './listen.js';
import { ABSENT_TTL_MS } from '../htaccess-absent.js';

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
    name: 'AccessFileName',
    module: 'core',
    args: 'iterate',
    contexts: RSRC,
    syntax: 'AccessFileName filename [filename] ...',
    default: 'AccessFileName .htaccess',
    help: 'names of the per-directory configuration files',
    differs: `httpd looks for the file on every request; modpy remembers for ${ABSENT_TTL_MS / 1000} s that a directory has none, so a newly created file takes effect within that time. An existing file is re-read as soon as its modification time or size changes.`,
    apply(t, args) {
      t.server.accessFileName = [...args];
    },
  },
  {
    name: 'Timeout',
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: 'Timeout seconds',
    default: 'Timeout 60',
    help: 'seconds to wait for I/O on a connection (the Python request deadline is ModpyPool request-timeout, 300 s by default)',
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
  limit('LimitRequestFields', 'limitRequestFields', 'LimitRequestFields 100', 'most request header fields accepted'),
  { ...limit('LimitRequestFieldSize', 'limitRequestFieldSize', 'LimitRequestFieldSize 8190', 'largest request header field accepted, in bytes'), declaredAs: 'LimitRequestFieldsize' },
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
      const spellings = { full: 'Full', os: 'OS', min: 'Minimal', minimal: 'Minimal', minor: 'Minor', major: 'Major', prod: 'Prod', productonly: 'Prod' } as const;
      t.global.serverTokens = parseKeyword(args[0] as string, spellings, ctx, "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'");
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
    note: 'Removed when the server stops — unless it names another process by then (a server started on the same configuration while this one drained).',
    apply(t, args, ctx) {
      t.global.pidFile = serverPath(ctx, args[0] as string);
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
  accepted('HostnameLookups', 'core', 'take1', NOT_HTACCESS, 'HostnameLookups On|Off|Double', 'reverse DNS of clients', 'Accepted and ignored: modpy never looks up client names (like HostnameLookups Off).'),
  accepted('UseCanonicalName', 'core', 'take1', NOT_HTACCESS, 'UseCanonicalName On|Off|DNS', 'how the server builds its own URLs', 'Accepted and ignored: modpy uses the Host header (like Off).'),
  accepted('TraceEnable', 'core', 'take1', RSRC, 'TraceEnable On|Off|extended', 'TRACE method handling', 'Accepted and ignored: modpy answers TRACE with 405.'),
  accepted('DefaultRuntimeDir', 'core', 'take1', SERVER, 'DefaultRuntimeDir directory-path', 'directory for runtime files', 'Accepted and ignored.'),
  accepted('Mutex', 'core', 'raw', SERVER, 'Mutex mechanism [default|mutex-name] ...', 'locking mechanism', 'Accepted and ignored: modpy\'s locks are its own.'),
  accepted('LimitInternalRecursion', 'core', 'take12', RSRC, 'LimitInternalRecursion number [number]', 'depth of internal redirects', 'Accepted and ignored: modpy uses a fixed limit of 10.'),
  accepted('HttpProtocolOptions', 'core', 'iterate', RSRC, 'HttpProtocolOptions [Strict|Unsafe] ...', 'request parsing strictness', 'Accepted and ignored: Node\'s parser is strict.'),
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
