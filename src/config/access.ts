/**
 * @module config/access — how a DirConfig stores access control, in one place. The inputs are
 * the Require lines, the Order/Allow/Deny rule (accessCompat) and Satisfy; `require`, what the
 * authorization check evaluates, is derived from them here and nowhere else.
 *
 * Stored form: a config with neither Order/Allow/Deny nor Satisfy keeps only `require` (its
 * lines, unchanged), so plain and hand-built configs carry one field; one with either keeps the
 * three inputs too, because a child section inherits each of them separately.
 */
import type { DirConfig, LimitedRequire, RequireExpr, SourceRef } from './types.js';

export type AccessFields = Pick<DirConfig, 'require' | 'requireLines' | 'accessCompat' | 'satisfyAny'>;
const ACCESS_KEYS: readonly (keyof AccessFields)[] = ['require', 'requireLines', 'accessCompat', 'satisfyAny'];

export interface AccessInputs {
  lines: readonly LimitedRequire[] | undefined;
  compat: LimitedRequire | undefined;
  satisfyAny: boolean | undefined;
}

export const GRANTED = (source: SourceRef): RequireExpr => ({ kind: 'require', negated: false, provider: 'all', args: ['granted'], source });

/** The inputs of a config in the stored form (or one still being built, with only lines). */
export function accessInputs(d: Readonly<DirConfig>): AccessInputs {
  const plain = d.accessCompat === undefined && d.satisfyAny === undefined;
  return { lines: d.requireLines ?? (plain ? d.require : undefined), compat: d.accessCompat, satisfyAny: d.satisfyAny };
}

/** The stored form of `inputs`; fields that do not apply are undefined. */
export function accessFields(inputs: AccessInputs): AccessFields {
  const { lines, compat, satisfyAny } = inputs;
  if (compat === undefined && satisfyAny === undefined) return { require: lines };
  return { require: effectiveRequire(lines, compat, satisfyAny), requireLines: lines, accessCompat: compat, satisfyAny };
}

/** Rewrites a config being built (its lines, compat rule and Satisfy set) into the stored form. */
export function settleAccess(dir: DirConfig): void {
  const fields = accessFields(accessInputs(dir));
  for (const key of ACCESS_KEYS) {
    if (fields[key] === undefined) delete dir[key];
    else Object.assign(dir, { [key]: fields[key] });
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
function effectiveRequire(lines: readonly LimitedRequire[] | undefined, compat: LimitedRequire | undefined, satisfyAny: boolean | undefined): readonly LimitedRequire[] | undefined {
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
