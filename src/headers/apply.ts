/**
 * @module headers/apply — mod_headers' `Header` directive applied to a response:
 * set, unset, append, merge, add, echo, edit/edit*, with `always` (err_headers_out, also on
 * error responses) or `onsuccess`, `early`, and `env=[!]VAR` conditions. Values are compiled once
 * per HeaderOp and cached.
 */
import type { HeaderOp } from '../config/types.js';
import { createError } from '../errors.js';
import type { HeaderBag } from './header-bag.js';
import { compileHeaderValue, type ValueContext } from './header-value.js';

export { createHeaderBag, type HeaderBag } from './header-bag.js';

export interface HeaderContext {
  /** subprocess_env, for %{VAR}e and env=VAR. */
  env: Record<string, string>;
  /** µs since the epoch when the request was received (%t, %D). */
  requestStartUs?: number;
  /** The request's headers_in as pairs, as the handlers left them (RequestHeader, Python):
   *  what `echo` walks, names matched and copied as written. */
  headersIn: readonly (readonly [string, string])[];
}

/** Which ops a call applies: the onsuccess table, the always (error) table, or `early` ones. */
export type HeaderTarget = 'onsuccess' | 'always' | 'early';

interface CompiledOp {
  value: (ctx: ValueContext) => string;
  /** echo: the header-name pattern; edit: the value pattern, global for edit*. */
  regex: RegExp | null;
}

const compiled = new WeakMap<HeaderOp, CompiledOp>();

function fail(op: HeaderOp, why: string): Error {
  return createError('HEADERS_BAD_OP', op.action, op.name, why);
}

/**
 * Compiles an op once (values, and the patterns edit and echo use per request); the Header
 * directive calls it at configuration load, so a request finds it done.
 * @throws MPY_ERR_HEADERS_BAD_OP
 */
export function compileHeaderOp(op: HeaderOp): CompiledOp {
  let c = compiled.get(op);
  if (c) return c;
  const where = { action: op.action, name: op.name };
  switch (op.action) {
    case 'set':
    case 'append':
    case 'add':
    case 'merge':
      if (op.value === undefined) throw fail(op, 'a value is required');
      c = { value: compileHeaderValue(op.value, where), regex: null };
      break;
    case 'edit': {
      if (!op.regex || op.value === undefined) throw fail(op, 'edit needs a regular expression and a replacement');
      // edit replaces the first match, edit* every one: the g flag says which.
      const flags = op.regex.flags.replace('g', '') + (op.global === true ? 'g' : '');
      c = { value: () => op.value as string, regex: new RegExp(op.regex.source, flags) };
      break;
    }
    case 'echo': {
      let regex = op.regex;
      if (!regex) {
        try {
          regex = new RegExp(op.name);
        } catch (err) {
          throw fail(op, `the header-name pattern is not a valid regular expression: ${(err as Error).message}`);
        }
      }
      c = { value: () => '', regex };
      break;
    }
    case 'unset':
      c = { value: () => '', regex: null };
      break;
    default:
      throw fail(op, `unknown action; use set, unset, append, add, merge, echo or edit`);
  }
  compiled.set(op, c);
  return c;
}

/** The comma-separated tokens of a header value, quoted strings kept whole (for merge). */
function tokens(value: string): string[] {
  return (value.match(/(?:"(?:[^"\\]|\\.)*"|[^,])+/g) ?? []).map((t) => t.trim());
}

/**
 * Apache's replacement syntax (ap_pregsub): $0 is the match, $1…$9 its groups, a backslash
 * makes the next character literal. (JavaScript's $-syntax differs: $& and $$ mean nothing
 * special here; checked against httpd 2.4.)
 */
function expand(template: string, match: string, groups: (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    const next = template[i + 1];
    if (c === '\\' && next !== undefined) {
      out += next;
      i++;
    } else if (c === '$' && next !== undefined && next >= '0' && next <= '9') {
      out += next === '0' ? match : (groups[Number(next) - 1] ?? '');
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** `regex` is compiled with the g flag for edit* (every match), without it for edit. */
function edit(value: string, regex: RegExp, replacement: string): string {
  return value.replace(regex, (match: string, ...rest: unknown[]) => {
    const groups = rest.slice(0, -2).filter((g) => typeof g === 'string' || g === undefined) as (string | undefined)[];
    return expand(replacement, match, groups);
  });
}

function applyOne(op: HeaderOp, c: CompiledOp, headers: HeaderBag, ctx: HeaderContext, valueCtx: ValueContext): void {
  switch (op.action) {
    case 'set':
      headers.set(op.name, c.value(valueCtx));
      return;
    case 'add':
      headers.add(op.name, c.value(valueCtx));
      return;
    case 'append': {
      // Joined into the existing header, as apr_table_merge does.
      const existing = headers.get(op.name);
      const value = c.value(valueCtx);
      headers.set(op.name, existing.length === 0 ? value : `${existing.join(', ')}, ${value}`);
      return;
    }
    case 'merge': {
      const existing = headers.get(op.name);
      const value = c.value(valueCtx);
      if (existing.length === 0) headers.set(op.name, value);
      else if (!existing.some((v) => tokens(v).includes(value.trim()))) headers.set(op.name, `${existing.join(', ')}, ${value}`);
      return;
    }
    case 'unset':
      headers.remove(op.name);
      return;
    case 'echo': {
      const re = c.regex as RegExp;
      for (const [name, value] of ctx.headersIn) if (re.test(name)) headers.add(name, value);
      return;
    }
    case 'edit': {
      const values = headers.get(op.name);
      if (values.length === 0) return;
      headers.remove(op.name);
      for (const v of values) headers.add(op.name, edit(v, c.regex as RegExp, op.value as string));
      return;
    }
  }
}

/**
 * Applies the ops meant for `target` to `headers`, in configuration order.
 * Call with 'always' on err_headers_out for every response and with 'onsuccess' on headers_out
 * for non-error responses (as mod_headers does); 'early' applies only ops marked `early`.
 * @throws MPY_ERR_HEADERS_BAD_OP for an op compileHeaderOp refuses (the Header directive compiles
 *   every op at configuration load, so a request never meets one)
 */
export function applyHeaderOps(ops: readonly HeaderOp[], target: HeaderTarget, headers: HeaderBag, ctx: HeaderContext): void {
  let valueCtx: ValueContext | null = null;
  for (const op of ops) {
    if (target === 'early' ? op.early !== true : op.early === true || op.condition !== target) continue;
    if (op.envCondition) {
      const set = ctx.env[op.envCondition.name] !== undefined;
      if (set === op.envCondition.negated) continue;
    }
    valueCtx ??= ctx.requestStartUs === undefined ? { env: ctx.env } : { env: ctx.env, requestStartUs: ctx.requestStartUs };
    applyOne(op, compileHeaderOp(op), headers, ctx, valueCtx);
  }
}
