/**
 * @module config/directives/auth — mod_auth_basic, mod_authn_file, mod_authz_core/host/user/
 * groupfile: AuthType, AuthName, AuthUserFile, AuthGroupFile, AuthBasicProvider, Require.
 * Order/Allow/Deny/Satisfy (mod_access_compat) live in access-compat.ts.
 */
import type { RequireExpr } from '../types.js';
import { type ApplyContext, type DirectiveSpec, DIR_ONLY, accepted, fail, serverPath } from './spec.js';

/** Authorization providers modpy evaluates, with their argument rule. */
const PROVIDERS: Readonly<Record<string, 'none' | 'some' | 'any'>> = {
  all: 'some',
  ip: 'some',
  host: 'some',
  local: 'none',
  'valid-user': 'none',
  user: 'some',
  group: 'some',
  env: 'some',
  method: 'some',
};

/** Parses one `Require [not] provider args…` line. */
export function parseRequire(args: string[], ctx: ApplyContext): RequireExpr {
  let rest = args;
  let negated = false;
  if (rest[0]?.toLowerCase() === 'not') {
    negated = true;
    rest = rest.slice(1);
  }
  const provider = rest[0]?.toLowerCase();
  if (provider === undefined) return fail(ctx, 'Require requires at least one argument, the authorization provider and its arguments');
  const rule = PROVIDERS[provider];
  if (!rule) return fail(ctx, `Unknown Authz provider: ${rest[0]}`);
  const pargs = rest.slice(1);
  if (provider === 'all') {
    const v = pargs[0]?.toLowerCase();
    if (pargs.length !== 1 || (v !== 'granted' && v !== 'denied')) fail(ctx, "Argument for 'Require all' must be 'granted' or 'denied'");
    return { kind: 'require', negated, provider, args: [v as string], source: ctx.source };
  }
  if (rule === 'some' && pargs.length === 0) fail(ctx, `Require ${provider} requires at least one argument`);
  if (provider === 'ip') for (const a of pargs) if (!isIpSpec(a)) fail(ctx, `ip address '${a}' appears to be invalid`);
  if (provider === 'method') for (const a of pargs) if (!/^[A-Z-]+$/.test(a)) fail(ctx, `Invalid Method '${a}'`);
  return { kind: 'require', negated, provider, args: pargs, source: ctx.source };
}

/** ip, partial ip (10.1), ip/bits, ip/netmask, IPv6 (with /bits). */
export function isIpSpec(a: string): boolean {
  const [addr, mask] = a.split('/', 2) as [string, string | undefined];
  const v4 = /^\d{1,3}(\.\d{1,3}){0,3}\.?$/.test(addr) && addr.split('.').filter(Boolean).every((p) => Number(p) <= 255);
  const v6 = addr.includes(':') && /^[0-9a-fA-F:.]+$/.test(addr);
  if (!v4 && !v6) return false;
  if (mask === undefined) return true;
  return /^\d{1,3}$/.test(mask) ? Number(mask) <= (v6 ? 128 : 32) : v4 && /^\d{1,3}(\.\d{1,3}){3}$/.test(mask);
}

function stringSetting(name: string, field: 'authName' | 'authUserFile' | 'authGroupFile', help: string, isPath: boolean): DirectiveSpec {
  return {
    name,
    module: field === 'authName' ? 'mod_authn_core' : field === 'authUserFile' ? 'mod_authn_file' : 'mod_authz_groupfile',
    args: 'take1',
    contexts: DIR_ONLY,
    override: 'AuthConfig',
    syntax: `${name} ${isPath ? 'file-path' : 'realm'}`,
    default: '—',
    help,
    apply(t, args, ctx) {
      t.dir[field] = isPath ? serverPath(ctx, args[0] as string) : (args[0] as string);
    },
  };
}

export const authDirectives: DirectiveSpec[] = [
  {
    name: 'AuthType',
    module: 'mod_authn_core',
    args: 'take1',
    contexts: DIR_ONLY,
    override: 'AuthConfig',
    syntax: 'AuthType None|Basic|other',
    default: '—',
    help: 'the authentication scheme (req.ap_auth_type / req.auth_type)',
    differs: 'modpy itself checks Basic only; other names are kept for Python authen handlers (Digest and Form are not implemented).',
    apply(t, args) {
      const v = args[0] as string;
      t.dir.authType = v.toLowerCase() === 'none' ? null : v;
    },
  },
  stringSetting('AuthName', 'authName', 'the realm shown in the password prompt', false),
  stringSetting('AuthUserFile', 'authUserFile', 'the htpasswd file (bcrypt, apr1-MD5, SHA1, crypt, plain)', true),
  stringSetting('AuthGroupFile', 'authGroupFile', 'the group file for Require group', true),
  {
    name: 'AuthBasicProvider',
    module: 'mod_auth_basic',
    args: 'iterate',
    contexts: DIR_ONLY,
    override: 'AuthConfig',
    syntax: 'AuthBasicProvider file',
    default: 'AuthBasicProvider file',
    help: 'where Basic credentials are checked',
    differs: 'Only the file provider exists.',
    apply(_t, args, ctx) {
      for (const a of args) if (a.toLowerCase() !== 'file') fail(ctx, `Unknown Authn provider: ${a}`);
    },
  },
  accepted('AuthBasicAuthoritative', 'mod_auth_basic', 'flag', DIR_ONLY, 'AuthBasicAuthoritative On|Off', 'pass failures on to other modules', 'Accepted and ignored.', 'AuthConfig'),
  {
    name: 'Require',
    module: 'mod_authz_core',
    args: 'raw',
    contexts: DIR_ONLY,
    override: 'AuthConfig',
    syntax: 'Require [not] entity-name [entity-name] ...',
    default: '—',
    help: 'who may access: all granted|denied, ip, host, local, valid-user, user, group, env, method',
    differs: 'Providers expr, file-owner, file-group, dbm and ldap are not implemented.',
    apply(t, args, ctx) {
      const expr = parseRequire(args, ctx);
      if (ctx.requireSink) return ctx.requireSink(expr);
      if (expr.kind === 'require' && expr.negated) fail(ctx, 'negative Require directive has no effect in <RequireAny> directive');
      t.dir.requireLines = [...(t.dir.requireLines ?? []), { methods: ctx.limit?.methods ?? null, except: ctx.limit?.except ?? false, expr }];
    },
  },
];
