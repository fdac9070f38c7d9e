/**
 * @module config/directives/access-compat — mod_access_compat's Order/Allow/Deny/Satisfy,
 * translated into Require trees when a section ends (finishAccess), so the one Require
 * evaluator serves both styles.
 */
import type { DirConfig, RequireExpr, SourceRef } from '../types.js';
import { type ApplyContext, type DirectiveSpec, DIR_ONLY, fail, parseKeyword } from './spec.js';
import { isIpSpec } from './auth.js';
import { GRANTED, settleAccess } from '../access.js';

interface CompatState {
  order: 'deny,allow' | 'allow,deny' | 'mutual-failure';
  allow: RequireExpr[];
  deny: RequireExpr[];
  limit: { methods: string[]; except: boolean } | null;
  source: SourceRef;
}

const states = new WeakMap<DirConfig, CompatState>();

function state(dir: DirConfig, ctx: ApplyContext): CompatState {
  let s = states.get(dir);
  if (!s) {
    s = { order: 'deny,allow', allow: [], deny: [], limit: ctx.limit, source: ctx.source };
    states.set(dir, s);
  }
  return s;
}

const DENIED = (source: SourceRef): RequireExpr => ({ kind: 'require', negated: false, provider: 'all', args: ['denied'], source });

/** A condition usable anywhere: a negated one ("env=!X") is wrapped so no container ever
 *  holds a bare negation where httpd's rules (and the evaluator) refuse one. */
function positive(e: RequireExpr): RequireExpr {
  return e.kind === 'require' && e.negated ? { kind: 'all', children: [GRANTED(e.source), e], source: e.source } : e;
}

/** `from` host list → the equivalent Require conditions. */
function conditions(args: string[], ctx: ApplyContext): RequireExpr[] {
  if (args[0]?.toLowerCase() !== 'from') fail(ctx, "allow and deny must be followed by 'from'");
  if (args.length < 2) fail(ctx, "allow and deny must be followed by 'from' and at least one host");
  return args.slice(1).map((a): RequireExpr => {
    const base = { kind: 'require' as const, source: ctx.source };
    if (a.toLowerCase() === 'all') return { ...base, negated: false, provider: 'all', args: ['granted'] };
    const env = /^env=(!?)(.+)$/i.exec(a);
    if (env) return { ...base, negated: env[1] === '!', provider: 'env', args: [env[2] as string] };
    if (isIpSpec(a)) return { ...base, negated: false, provider: 'ip', args: [a] };
    return { ...base, negated: false, provider: 'host', args: [a] };
  });
}

function anyOf(children: RequireExpr[], source: SourceRef): RequireExpr {
  const pos = children.map(positive);
  return pos.length === 1 ? (pos[0] as RequireExpr) : { kind: 'any', children: pos, source };
}

/** The Order/Allow/Deny of one section as a Require expression. */
function compatExpr(s: CompatState): RequireExpr {
  const src = s.source;
  const allowed = s.allow.length ? anyOf(s.allow, src) : null;
  // "Not denied" as a positive expression: granted unless a Deny matches.
  const notDenied: RequireExpr | null = s.deny.length ? { kind: 'all', children: [GRANTED(src), { kind: 'none', children: s.deny.map(positive), source: src }], source: src } : null;
  if (s.order === 'deny,allow') {
    // Allowed unless denied and not explicitly allowed.
    if (!notDenied) return GRANTED(src);
    return allowed ? { kind: 'any', children: [allowed, notDenied], source: src } : notDenied;
  }
  // Allow,Deny and Mutual-failure: must be allowed and not denied.
  if (!allowed) return DENIED(src);
  return notDenied ? { kind: 'all', children: [allowed, notDenied], source: src } : allowed;
}

/** Ends a section or .htaccess: records its Order/Allow/Deny as dir.accessCompat and puts
 *  the access fields in their stored form (config/access), `require` included. */
export function finishAccess(dir: DirConfig): void {
  const s = states.get(dir);
  if (s) {
    states.delete(dir);
    dir.accessCompat = { methods: s.limit?.methods ?? null, except: s.limit?.except ?? false, expr: compatExpr(s) };
  }
  settleAccess(dir);
}

const NOTE = 'Translated into an equivalent Require expression (DirConfig.accessCompat, combined into DirConfig.require per Satisfy); all Order/Allow/Deny lines of one section share the method restriction of the first.';

export const accessCompatDirectives: DirectiveSpec[] = [
  {
    name: 'Order',
    declaredAs: 'order',
    module: 'mod_access_compat',
    args: 'take1',
    contexts: DIR_ONLY,
    override: 'Limit',
    syntax: 'Order Deny,Allow|Allow,Deny|Mutual-failure',
    default: 'Order Deny,Allow',
    help: 'how Allow and Deny combine (deprecated by Require)',
    differs: NOTE,
    apply(t, args, ctx) {
      state(t.dir, ctx).order = parseKeyword(args[0] as string, { 'deny,allow': 'deny,allow', 'allow,deny': 'allow,deny', 'mutual-failure': 'mutual-failure' } as const, ctx, 'unknown order');
    },
  },
  {
    name: 'Allow',
    declaredAs: 'allow',
    module: 'mod_access_compat',
    args: 'raw',
    contexts: DIR_ONLY,
    override: 'Limit',
    syntax: 'Allow from all|host|env=[!]env-variable [host|env=[!]env-variable] ...',
    default: '—',
    help: 'hosts allowed (deprecated by Require)',
    differs: NOTE,
    apply(t, args, ctx) {
      state(t.dir, ctx).allow.push(...conditions(args, ctx));
    },
  },
  {
    name: 'Deny',
    declaredAs: 'deny',
    module: 'mod_access_compat',
    args: 'raw',
    contexts: DIR_ONLY,
    override: 'Limit',
    syntax: 'Deny from all|host|env=[!]env-variable [host|env=[!]env-variable] ...',
    default: '—',
    help: 'hosts denied (deprecated by Require)',
    differs: NOTE,
    apply(t, args, ctx) {
      state(t.dir, ctx).deny.push(...conditions(args, ctx));
    },
  },
  {
    name: 'Satisfy',
    module: 'mod_access_compat',
    args: 'take1',
    contexts: DIR_ONLY,
    override: 'AuthConfig',
    syntax: 'Satisfy Any|All',
    default: 'Satisfy All',
    help: 'whether host rules and user rules must both pass',
    apply(t, args, ctx) {
      t.dir.satisfyAny = parseKeyword(args[0] as string, { any: true, all: false }, ctx, "Satisfy either 'any' or 'all'.");
    },
  },
];
