/**
 * @module config/types — the data model every part of modpy reads: what the Apache-style
 * configuration becomes once parsed. Pure types, no behaviour.
 *
 * Rules: `undefined` means "not set here, inherit"; merged per-directory configs are frozen.
 * Owners may add optional fields; never rename or remove one without updating every reader.
 */

/** Where a directive was written, for error messages and `server.defn_name`/`defn_line_number`. */
export interface SourceRef {
  file: string;
  line: number;
}

/** A parsed configuration node, after Include/Define/IfModule/IfDefine were applied. */
export interface ConfigNode {
  name: string; // as written, e.g. "PythonHandler", "Directory"
  args: string[]; // unquoted arguments; for sections the text inside <Name ...>
  source: SourceRef;
  children?: ConfigNode[]; // present for sections (<Directory> …)
}

/** The twelve per-request mod_python phases (connection handlers and filters are separate). */
export type PhaseDirective =
  | 'PythonPostReadRequestHandler'
  | 'PythonTransHandler'
  | 'PythonHeaderParserHandler'
  | 'PythonInitHandler'
  | 'PythonAccessHandler'
  | 'PythonAuthenHandler'
  | 'PythonAuthzHandler'
  | 'PythonTypeHandler'
  | 'PythonFixupHandler'
  | 'PythonHandler'
  | 'PythonLogHandler'
  | 'PythonCleanupHandler';

/** One entry of a handler list (mod_python's hlist). */
export interface HandlerEntry {
  /** "module[::object]" exactly as configured. */
  handler: string;
  /** Directory recorded for sys.path / PythonInterpPerDirective: "/abs/dir/" (trailing slash),
   *  the literal <Location> argument, or null at server/vhost level. */
  directory: string | null;
  /** True when the entry came from <Location>/<LocationMatch> (no sys.path prepend). */
  isLocation: boolean;
  /** True for entries registered by PythonHandlerModule: a missing callable is skipped. */
  silent: boolean;
  /** For <Directory ~ re>/<DirectoryMatch>/wildcards: resolve `directory` per request to the
   *  shortest prefix of req.filename that matches. */
  directoryPattern?: RegExp;
}

/** A mod_python filter registered with PythonInputFilter/PythonOutputFilter. */
export interface PythonFilterSpec {
  name: string;
  handler: string;
  directory: string | null;
  isInput: boolean;
}

/** `Header set|unset|append|add|merge|echo|edit name [value] [early|always|onsuccess]`. */
export interface HeaderOp {
  action: 'set' | 'unset' | 'append' | 'add' | 'merge' | 'echo' | 'edit';
  name: string;
  value?: string;
  /** "onsuccess" (default table) or "always" (err_headers_out: also on errors). */
  condition: 'onsuccess' | 'always';
  source: SourceRef;
  /** `edit`: the pattern (value holds the replacement); `echo`: the header-name pattern. */
  regex?: RegExp;
  /** `edit*`: replace every match, not only the first. */
  global?: boolean;
  /** `env=[!]VAR`: apply only when the variable is (not) set in subprocess_env. */
  envCondition?: { name: string; negated: boolean };
  /** `early`: applied right after the request is read (before the handlers). */
  early?: boolean;
}

/** A Require expression tree (mod_authz_core). */
export type RequireExpr =
  | { kind: 'require'; negated: boolean; provider: string; args: string[]; source: SourceRef }
  | { kind: 'all' | 'any' | 'none'; children: RequireExpr[]; source: SourceRef };

/** A method restriction from <Limit>/<LimitExcept> wrapped around Require lines. */
export interface LimitedRequire {
  methods: string[] | null; // null = all methods
  except: boolean; // <LimitExcept>
  expr: RequireExpr;
}

export interface OptionsSet {
  indexes?: boolean;
  followSymLinks?: boolean;
  symLinksIfOwnerMatch?: boolean;
  execCGI?: boolean;
  includes?: boolean;
  includesNoExec?: boolean;
  multiViews?: boolean;
}

/** Override classes allowed in .htaccess (AllowOverride). */
export type OverrideClass = 'AuthConfig' | 'FileInfo' | 'Indexes' | 'Limit' | 'Options';

/**
 * Per-directory configuration: the server/vhost defaults, a section's body, or an .htaccess file.
 * Merged with `mergeDirConfig(parent, child)` in Apache's order.
 */
export interface DirConfig {
  // --- core / mod_mime / mod_dir / mod_autoindex ---------------------------------------
  options?: OptionsSet;
  allowOverride?: ReadonlySet<OverrideClass>; // empty set = None
  setHandler?: string | null; // SetHandler; null = "SetHandler None"
  addHandlers?: Readonly<Record<string, string>>; // ".ext" lower-case → handler name
  addTypes?: Readonly<Record<string, string>>; // ".ext" lower-case → MIME type
  forceType?: string | null;
  defaultType?: string;
  setOutputFilters?: readonly string[];
  setInputFilters?: readonly string[];
  addOutputFilters?: Readonly<Record<string, readonly string[]>>; // ".ext" → filter names
  addInputFilters?: Readonly<Record<string, readonly string[]>>;
  directoryIndex?: readonly string[]; // ["disabled"] disables
  errorDocuments?: Readonly<Record<number, string>>;
  headers?: readonly HeaderOp[]; // accumulates parent then child
  requestHeaders?: readonly HeaderOp[]; // RequestHeader: accumulates parent then child
  serverSignature?: 'On' | 'Off' | 'EMail';
  limitRequestBody?: number;
  acceptPathInfo?: 'On' | 'Off' | 'Default';
  redirects?: readonly RedirectRule[]; // Redirect inside <Directory>/<Location>/.htaccess
  // --- auth (mod_auth_basic, mod_authn_file, mod_authz_*) -------------------------------
  authType?: string | null;
  authName?: string;
  authUserFile?: string;
  authGroupFile?: string;
  /** What the authorization check evaluates: Require lines (combined as <RequireAny>), already
   *  combined with Order/Allow/Deny per Satisfy when those are in effect. Derived by
   *  config/access from the three fields below; without Order/Allow/Deny or Satisfy it is the
   *  Require lines themselves and the only access field stored. */
  require?: readonly LimitedRequire[];
  /** The Require lines, kept apart from `require` only while Order/Allow/Deny or Satisfy are in
   *  effect (so inherited lines combine with a child's Allow/Deny); a section with Require
   *  lines replaces the parent's (AuthMerging Off). */
  requireLines?: readonly LimitedRequire[];
  /** mod_access_compat: Order/Allow/Deny of the nearest section that has them, as a Require
   *  expression; httpd ANDs it with the Require lines (OR with Satisfy Any). */
  accessCompat?: LimitedRequire;
  /** Satisfy Any (true) / All (false). */
  satisfyAny?: boolean;
  // --- mod_python -----------------------------------------------------------------------
  /** Handler lists keyed "PythonHandler" or "PythonHandler.ext" (from `| .ext`). A child's list
   *  for a key replaces the parent's list for that key. */
  pythonHandlers?: Readonly<Record<string, readonly HandlerEntry[]>>;
  /** Scalar mod_python directives as get_config() shows them: "PythonDebug" → "1"/"0", … */
  pythonDirectives?: Readonly<Record<string, string>>;
  /** PythonOption key → value (value "" removes the key in get_options()). Overlay merge. */
  pythonOptions?: Readonly<Record<string, string>>;
  pythonInputFilters?: Readonly<Record<string, PythonFilterSpec>>;
  pythonOutputFilters?: Readonly<Record<string, PythonFilterSpec>>;
  /** Directory of the most specific section that had one (mod_python's config_dir). */
  configDirectory?: string | null;
  /** True when the most specific section with a directory was a <Location>. */
  fromLocation?: boolean;
  /** modpy: pool settings that apply to requests in this scope (see ModpyPool*). */
  modpy?: Readonly<Record<string, string>>;
  // --- additions (config owner) -------------------------------------------------------------
  /** SetEnv/PassEnv (value) and UnsetEnv (null) for subprocess_env; overlay merge. */
  env?: Readonly<Record<string, string | null>>;
  /** mod_setenvif rules, the enclosing scope's first (httpd appends the lists). */
  setEnvIf?: readonly SetEnvIfRule[];
  /** AddDefaultCharset: charset added to text/plain and text/html responses; null = Off. */
  addDefaultCharset?: string | null;
  /** RemoveHandler/RemoveType: extensions whose inherited AddHandler/AddType mapping the merge
   *  drops (the merged addHandlers/addTypes no longer contain them). */
  removeHandlers?: readonly string[];
  removeTypes?: readonly string[];
  /** AllowOverride Options=…: the options an .htaccess may set (undefined = all). */
  allowOverrideOptions?: readonly string[];
  /** LogLevel written in a directory section ("notice", "info mod_python:debug"): the level for
   *  messages logged while serving requests there (httpd's per-directory LogLevel). */
  logLevel?: string;
}

/** What a SetEnvIf rule tests: one of mod_setenvif's special names, a request header (else an
 *  environment variable of that name), or every header whose name matches a regex. */
export type SetEnvIfAttribute =
  | { kind: 'remote_host' | 'remote_addr' | 'server_addr' | 'request_method' | 'request_protocol' | 'request_uri' }
  | { kind: 'header'; name: string }
  | { kind: 'header_regex'; pattern: RegExp };

/** One SetEnvIf / SetEnvIfNoCase / BrowserMatch / BrowserMatchNoCase line. */
export interface SetEnvIfRule {
  /** The attribute as written (BrowserMatch*: User-Agent). */
  attributeName: string;
  /** Shared (same object) by the rules of one scope that name the same attribute, in any
   *  case: httpd looks the value up once for a run of such rules (see pipeline/setenvif). */
  attribute: SetEnvIfAttribute;
  /** A regex, or (no metacharacters in it) a plain substring: then `$N` is not expanded. */
  match: { kind: 'regex'; regex: RegExp } | { kind: 'substring'; text: string; ignoreCase: boolean };
  /** [name, value] in order; a value starting with `!` unsets the variable. */
  features: readonly (readonly [string, string])[];
  /** Written at server/vhost level: runs at post_read_request, not at header_parser. */
  serverLevel: boolean;
  source: SourceRef;
}

export interface RedirectRule {
  kind: 'redirect' | 'redirectmatch';
  status: number; // 301, 302 (temp), 303, 410 (gone) …
  from: string; // URL-path prefix, or a regex source for RedirectMatch
  regex?: RegExp;
  to: string | null; // null for 410 Gone
  source: SourceRef;
}

export interface AliasRule {
  kind: 'alias' | 'aliasmatch' | 'scriptalias' | 'scriptaliasmatch';
  from: string;
  regex?: RegExp;
  to: string;
  source: SourceRef;
}

export type SectionKind =
  | 'directory'
  | 'directorymatch'
  | 'files'
  | 'filesmatch'
  | 'location'
  | 'locationmatch';

export interface Section {
  kind: SectionKind;
  /** The argument as written (path, glob, or regex source). */
  pattern: string;
  /** Set for regex forms (`~` or *Match) — and for globs, compiled to a RegExp. */
  regex?: RegExp;
  config: DirConfig;
  source: SourceRef;
  /** For <Files> nested in a <Directory> (or another <Files>): applies only when that section
   *  applied to the request, as in httpd. */
  within?: Section;
}

export interface LogFormatSpec {
  format: string;
  nickname?: string;
}

export interface CustomLogSpec {
  target: string; // absolute path, or "|command", or "stdout"/"stderr"
  format: string; // resolved format string
  condition?: { env: string; negated: boolean };
  source: SourceRef;
}

export interface ListenSpec {
  address: string | null; // null = all addresses
  port: number;
  protocol?: string;
  source: SourceRef;
}

/** The main server or one <VirtualHost>. Vhost fields left undefined inherit the main server's. */
export interface ServerConf {
  isVirtual: boolean;
  source: SourceRef; // defn_name / defn_line_number
  addresses: { address: string | null; port: number | null }[]; // <VirtualHost a:p ...>
  serverName?: string;
  /** The port written in `ServerName host:port` (server.port in Python), if any. */
  serverNamePort?: number;
  serverAliases: string[];
  serverAdmin?: string;
  documentRoot?: string;
  errorLog?: string;
  logLevel?: string; // e.g. "warn", "info mod_python:debug"
  customLogs: CustomLogSpec[];
  aliases: AliasRule[];
  redirects: RedirectRule[];
  timeout?: number; // seconds
  keepAlive?: boolean;
  keepAliveTimeout?: number; // seconds
  maxKeepAliveRequests?: number;
  limitRequestFields?: number;
  limitRequestFieldSize?: number;
  limitRequestLine?: number;
  accessFileName?: string[];
  /** Directives at server/vhost level outside any section (Apache's lookup_defaults). */
  dirDefaults: DirConfig;
  /** mod_python scalars/options set at this server's own level (server.get_config/get_options). */
  pythonServerDirectives: Record<string, string>;
  pythonServerOptions: Record<string, string>;
  sections: Section[];
  pythonConnectionHandler?: HandlerEntry;
  pythonImports: { module: string; interpreter: string; source: SourceRef }[];
}

/** Settings of one interpreter pool (ModpyPool / ModpyPoolDefaults). */
export interface PoolSettings {
  python: string; // executable, e.g. "python3" or "/usr/bin/python3" or a venv's bin/python
  minProcesses: number;
  maxProcesses: number;
  idleTimeoutMs: number;
  maxRequests: number; // 0 = unlimited
  maxRequestsJitter: number;
  maxMemoryMiB: number; // 0 = unlimited (RSS)
  requestTimeoutMs: number; // deadline per request
  graceMs: number; // after the deadline's exception, before SIGKILL
  startupTimeoutMs: number;
  queueLimit: number; // requests waiting for the pool; beyond → 503 + Retry-After
  pipeline: number; // requests queued per worker
  directWriteMin: number; // bytes from which a req.write goes straight to the client; 0 = never
  spinUs: number; // µs an idle worker polls for the next request before it sleeps; 0 = never
  env: Record<string, string>;
}

export interface LoadedConfig {
  /** Every file read (main, Include'd), for reload and `-t`. */
  files: string[];
  serverRoot: string;
  defines: ReadonlySet<string>;
  loadedModules: ReadonlySet<string>; // "python_module", "mime_module", …
  listen: ListenSpec[];
  pidFile: string; // absolute
  serverTokens: 'Full' | 'OS' | 'Minimal' | 'Minor' | 'Major' | 'Prod';
  typesConfig?: string;
  mimeTypes: ReadonlyMap<string, string>; // ".ext" → type, from TypesConfig
  logFormats: Record<string, string>; // nickname → format
  main: ServerConf;
  vhosts: ServerConf[];
  /** Parsed tree (for apache.config_tree()). */
  tree: ConfigNode[];
  pythonOptimize: boolean;
  poolDefaults: PoolSettings;
  pools: Record<string, Partial<PoolSettings>>; // by interpreter name
  gracefulShutdownTimeoutMs: number;
  /** Problems that do not stop the server (unknown LoadModule, undefined ${VAR}, …). */
  warnings: string[];
  /** Every PythonImport (main server and virtual hosts) in configuration order (always set by
   *  loadConfig; optional only so hand-built fixtures need not list it). */
  pythonImports?: { module: string; interpreter: string; source: SourceRef }[];
}
