/**
 * @module config/directives/access-compat — mod_access_compat's Order/Allow/Deny/Satisfy,
 * translated into Require trees when a section ends (finishAccessCompat), so the one Require
 * evaluator serves both styles.
 */
import type { DirConfig, RequireExpr, SourceRef } from '../types.js';
import { type ApplyContext, type DirectiveSpec, DIR_ONLY, fail } from './spec.js';
import { isIpSpec } from './auth.js';

interface CompatState {
  order: 'deny,allow' | 'allow,deny' | 'mutual-failure';
  allow: RequireExpr[];
  deny: RequireExpr[];
  satisfyAny: boolean;
  limit: { methods: string[]; except: boolean } | null;
  source: SourceRef;
}

const states = new WeakMap<DirConfig, CompatState>();

function state(dir: DirConfig, ctx: ApplyContext): CompatState {
  let s = states.get(dir);
  if (!s) {
    s = { order: 'deny,allow', allow: [], deny: [], satisfyAny: false, limit: ctx.limit, source: ctx.source };
    states.set(dir, s);
  }
  return s;
}

/** `from` host list → the equivalent Require lines. */
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
  return children.length === 1 ? (children[0] as RequireExpr) : { kind: 'any', children, source };
}

const DENIED = (source: SourceRef): RequireExpr => ({ kind: 'require', negated: false, provider: 'all', args: ['denied'], source });
const GRANTED = (source: SourceRef): RequireExpr => ({ kind: 'require', negated: false, provider: 'all', args: ['granted'], source });

/** Adds the Require equivalent of this section's Order/Allow/Deny to dir.require. Satisfy All
 *  (default) combines it with the section's Require lines by AND, Satisfy Any by OR. */
export function finishAccessCompat(dir: DirConfig): void {
  const s = states.get(dir);
  if (!s) return;
  states.delete(dir);
  const src = s.source;
  const allowed = s.allow.length ? anyOf(s.allow, src) : null;
  const denied: RequireExpr | null = s.deny.length ? { kind: 'none', children: s.deny, source: src } : null;
  let expr: RequireExpr;
  if (s.order === 'deny,allow') {
    // Allowed unless denied and not explicitly allowed.
    expr = denied ? (allowed ? { kind: 'any', children: [allowed, denied], source: src } : denied) : GRANTED(src);
  } else {
    // Allow,Deny and Mutual-failure: must be allowed and not denied.
    expr = allowed ? (denied ? { kind: 'all', children: [allowed, denied], source: src } : allowed) : DENIED(src);
  }
  const existing = dir.require ?? [];
  if (existing.length === 0) {
    dir.require = [{ methods: s.limit?.methods ?? null, except: s.limit?.except ?? false, expr }];
    return;
  }
  const lines = anyOf(existing.map((r) => r.expr), src);
  const combined: RequireExpr = { kind: s.satisfyAny ? 'any' : 'all', children: [lines, expr], source: src };
  dir.require = [{ methods: s.limit?.methods ?? null, except: s.limit?.except ?? false, expr: combined }];
}

const NOTE = 'Translated into the equivalent Require expression when the section ends; all Order/Allow/Deny lines of one section share the method restriction of the first.';

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
      const v = (args[0] as string).toLowerCase();
      if (v !== 'deny,allow' && v !== 'allow,deny' && v !== 'mutual-failure') fail(ctx, 'unknown order');
      state(t.dir, ctx).order = v;
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
    differs: NOTE,
    apply(t, args, ctx) {
      const v = (args[0] as string).toLowerCase();
      if (v !== 'any' && v !== 'all') fail(ctx, 'Satisfy either \'any\' or \'all\'.');
      state(t.dir, ctx).satisfyAny = v === 'any';
    },
  },
];
