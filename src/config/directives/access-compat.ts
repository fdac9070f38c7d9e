/**
 * @module config/directives/access-compat — mod_access_compat's Order/Allow/Deny/Satisfy,
 * translated into Require trees when a section ends (finishAccess), so the one Require
 * evaluator serves both styles.
 */
import type { DirConfig, LimitedRequire, RequireExpr, SourceRef } from '../types.js';
import { type ApplyContext, type DirectiveSpec, DIR_ONLY, fail } from './spec.js';
import { isIpSpec } from './auth.js';

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

const GRANTED = (source: SourceRef): RequireExpr => ({ kind: 'require', negated: false, provider: 'all', args: ['granted'], source });
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

/** Ends a section (or .htaccess, or server level): records its Order/Allow/Deny as
 *  dir.accessCompat and sets dir.require to what this scope alone evaluates. */
export function finishAccess(dir: DirConfig): void {
  const s = states.get(dir);
  if (s) {
    states.delete(dir);
    dir.accessCompat = { methods: s.limit?.methods ?? null, except: s.limit?.except ?? false, expr: compatExpr(s) };
  }
  if (dir.requireLines !== undefined || dir.accessCompat !== undefined || dir.satisfyAny !== undefined) {
    const effective = effectiveRequire(dir.requireLines, dir.accessCompat, dir.satisfyAny);
    if (effective) dir.require = effective;
  }
}

function appliesTo(r: LimitedRequire, method: string | null): boolean {
  // method null = "any method not named by any rule" (the rest of the method space).
  if (r.methods === null) return true;
  const listed = method !== null && r.methods.includes(method);
  return r.except ? !listed : listed;
}

/** What one method class evaluates: its Require lines (as <RequireAny>) and/or its host rule. */
function classExpr(lines: LimitedRequire[], compat: LimitedRequire | null, satisfyAny: boolean, src: SourceRef): RequireExpr | null {
  const linesExpr = lines.length === 0 ? null : lines.length === 1 ? (lines[0] as LimitedRequire).expr : { kind: 'any' as const, children: lines.map((l) => l.expr), source: src };
  if (!compat) return linesExpr;
  // No Require lines: authz passes, so Satisfy Any grants and Satisfy All leaves the host rule.
  if (!linesExpr) return satisfyAny ? GRANTED(src) : compat.expr;
  return { kind: satisfyAny ? 'any' : 'all', children: [linesExpr, compat.expr], source: src };
}

/** httpd's combination of authz (Require lines) and host access (Order/Allow/Deny): both must
 *  pass (Satisfy All) or either (Satisfy Any); an absent side passes. <Limit> restrictions are
 *  kept exact by emitting one entry per method class (each named method, then all others). */
export function effectiveRequire(lines: readonly LimitedRequire[] | undefined, compat: LimitedRequire | undefined, satisfyAny: boolean | undefined): readonly LimitedRequire[] | undefined {
  if (compat === undefined) return lines;
  const src = compat.expr.source;
  const all = [...(lines ?? []), compat];
  const named = [...new Set(all.flatMap((r) => r.methods ?? []))];
  const classes: (string | null)[] = [...named, null];
  const out: LimitedRequire[] = [];
  for (const m of classes) {
    const expr = classExpr((lines ?? []).filter((l) => appliesTo(l, m)), appliesTo(compat, m) ? compat : null, satisfyAny === true, src);
    if (!expr) continue;
    if (m === null) out.push(named.length ? { methods: named, except: true, expr } : { methods: null, except: false, expr });
    else out.push({ methods: [m], except: false, expr });
  }
  return out;
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
    apply(t, args, ctx) {
      const v = (args[0] as string).toLowerCase();
      if (v !== 'any' && v !== 'all') fail(ctx, 'Satisfy either \'any\' or \'all\'.');
      t.dir.satisfyAny = v === 'any';
    },
  },
];
