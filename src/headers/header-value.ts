/**
 * @module headers/header-value — mod_headers' value formats, compiled once per directive:
 * %% | %t (t=request time in µs) | %D (D=µs since the request) | %{VAR}e (subprocess_env)
 * | %{VAR}s (SSL variables: "(null)", modpy serves plain HTTP) | %l (l=load averages).
 * %i and %b (scoreboard idle/busy) do not exist without Apache's scoreboard and are refused.
 */
import os from 'node:os';
import { createError } from '../errors.js';

export interface ValueContext {
  env: Record<string, string>;
  /** µs since the epoch when the request was received. */
  requestStartUs?: number;
  /** µs since the epoch now (tests pass it; default: the clock). */
  nowUs?: number;
}

type Piece = string | ((ctx: ValueContext) => string);

/** Which directive a value belongs to, for error messages: Header <action> <name>. */
export interface OpName {
  action: string;
  name: string;
}

function bad(where: OpName, why: string): Error {
  return createError('HEADERS_BAD_OP', where.action, where.name, why);
}

/** Header values must stay one line: interpolated text loses CR and LF (no header injection). */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

const now = (ctx: ValueContext): number => ctx.nowUs ?? Date.now() * 1000;

function pieceFor(letter: string, arg: string | null, where: OpName): Piece {
  switch (letter) {
    case 't':
      return (ctx) => `t=${Math.floor(ctx.requestStartUs ?? now(ctx))}`;
    case 'D':
      return (ctx) => `D=${Math.max(0, Math.floor(now(ctx) - (ctx.requestStartUs ?? now(ctx))))}`;
    case 'e':
      if (!arg) throw bad(where, '%e needs a variable name: %{VAR}e');
      return (ctx) => oneLine(ctx.env[arg] ?? '(null)');
    case 's':
      return () => '(null)';
    case 'l':
      return () => `l=${os.loadavg().map((n) => n.toFixed(2)).join('/')}`;
    case 'i':
    case 'b':
      throw bad(where, `%${letter} (scoreboard ${letter === 'i' ? 'idle' : 'busy'} percentage) is not available in modpy`);
    default:
      throw bad(where, `unrecognized header format %${letter}`);
  }
}

/**
 * Compiles a Header value. `where` names the directive in errors.
 * @throws MPY_ERR_HEADERS_BAD_OP for an unknown or unsupported % format, or an expr= value
 */
export function compileHeaderValue(value: string, where: OpName): (ctx: ValueContext) => string {
  if (value.startsWith('expr=')) {
    throw bad(where, `${value}: expr= values (ap_expr) are not supported by modpy`);
  }
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c !== '%' || i === value.length - 1) {
      literal += c;
      continue;
    }
    let j = i + 1;
    if (value[j] === '%') {
      literal += '%';
      i = j;
      continue;
    }
    let arg: string | null = null;
    if (value[j] === '{') {
      const close = value.indexOf('}', j);
      if (close < 0) throw bad(where, `${value}: unterminated %{…}`);
      arg = value.slice(j + 1, close);
      j = close + 1;
    }
    const letter = value[j];
    if (letter === undefined) throw bad(where, `${value}: the value ends inside a % format`);
    if (literal !== '') pieces.push(literal);
    literal = '';
    pieces.push(pieceFor(letter, arg, where));
    i = j;
  }
  if (literal !== '') pieces.push(literal);
  if (pieces.every((p) => typeof p === 'string')) {
    const fixed = pieces.join('');
    return () => fixed;
  }
  return (ctx) => pieces.map((p) => (typeof p === 'string' ? p : p(ctx))).join('');
}
