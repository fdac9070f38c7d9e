/**
 * @module config/if-version — <IfVersion [[!]op] version>, evaluated against the httpd version
 * modpy's configuration language follows (2.4).
 */
import { configError } from '../errors.js';
import type { SourceRef } from './types.js';

/** The httpd release whose configuration semantics modpy implements. */
export const HTTPD_COMPAT_VERSION = [2, 4, 71] as const;

export function ifVersionHolds(args: string[], source: SourceRef): boolean {
  let op = '=';
  let value: string;
  if (args.length === 1) value = args[0] as string;
  else if (args.length === 2) {
    op = args[0] as string;
    value = args[1] as string;
  } else throw configError('CONFIG_SYNTAX', source.file, source.line, '<IfVersion> takes one or two arguments');
  const negated = op.startsWith('!');
  if (negated) op = op.slice(1);
  let result: boolean;
  if (op === '~' || (value.startsWith('/') && value.endsWith('/') && value.length > 1)) {
    const re = value.startsWith('/') ? value.slice(1, -1) : value;
    result = new RegExp(re).test(HTTPD_COMPAT_VERSION.join('.'));
  } else {
    const cmp = compare(parse(value, source), [...HTTPD_COMPAT_VERSION]);
    switch (op) {
      case '=':
      case '==':
        result = cmp === 0;
        break;
      case '>':
        result = cmp < 0;
        break;
      case '>=':
        result = cmp <= 0;
        break;
      case '<':
        result = cmp > 0;
        break;
      case '<=':
        result = cmp >= 0;
        break;
      default:
        throw configError('CONFIG_SYNTAX', source.file, source.line, `unknown IfVersion operator ${op}`);
    }
  }
  return result !== negated;
}

function parse(v: string, source: SourceRef): number[] {
  if (!/^\d+(\.\d+){0,2}$/.test(v)) throw configError('CONFIG_SYNTAX', source.file, source.line, `<IfVersion> version '${v}' is not of the form major[.minor[.patch]]`);
  return v.split('.').map(Number);
}

/** Compares a (possibly partial) version with ours; missing parts of `v` match anything. */
function compare(v: number[], ours: number[]): number {
  for (let i = 0; i < v.length; i++) {
    const d = (v[i] as number) - (ours[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}
