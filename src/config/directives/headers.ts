/**
 * @module config/directives/headers — mod_headers' Header directive.
 * `Header [always|onsuccess] action header [value] [replacement] [early|env=[!]var]`.
 */
import { compileHeaderOp } from '../../headers/apply.js';
import { compileApacheRegex } from '../regex.js';
import type { HeaderOp } from '../types.js';
import { type DirectiveSpec, ALL, fail } from './spec.js';

const ACTIONS = ['set', 'unset', 'append', 'add', 'merge', 'echo', 'edit', 'edit*'] as const;

export const headerDirectives: DirectiveSpec[] = [
  {
    name: 'Header',
    module: 'mod_headers',
    args: 'raw',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'Header [always|onsuccess] set|unset|append|add|merge|echo|edit|edit* header [value] [replacement] [early|env=[!]variable]',
    default: '—',
    help: 'changes response headers',
    differs: 'The note and setifempty actions and expr= conditions are not implemented (a configuration error says so).',
    apply(t, args, ctx) {
      let rest = [...args];
      let condition: HeaderOp['condition'] = 'onsuccess';
      const first = rest[0]?.toLowerCase();
      if (first === 'always' || first === 'onsuccess') {
        condition = first;
        rest = rest.slice(1);
      }
      const actionWord = rest.shift()?.toLowerCase();
      if (actionWord === undefined) return fail(ctx, 'Header requires at least two arguments: an action and a header name');
      if (actionWord === 'note' || actionWord === 'setifempty') {
        fail(ctx, `Header ${actionWord}: this action of mod_headers is not implemented by modpy`);
      }
      if (!(ACTIONS as readonly string[]).includes(actionWord)) {
        fail(ctx, "first argument must be 'add', 'set', 'append', 'merge', 'unset', 'echo', 'edit', or 'edit*'.");
      }
      let early = false;
      let envCondition: HeaderOp['envCondition'];
      const last = rest[rest.length - 1];
      if (rest.length > 1 && last !== undefined) {
        if (last.toLowerCase() === 'early') {
          early = true;
          rest.pop();
        } else if (/^env=/i.test(last)) {
          const m = /^env=(!?)(.+)$/i.exec(last);
          if (!m) fail(ctx, `Header: bad condition ${last}`);
          envCondition = { name: m[2] as string, negated: m[1] === '!' };
          rest.pop();
        } else if (/^expr=/i.test(last)) fail(ctx, 'Header: expr= conditions are not supported by modpy; use env=[!]variable');
      }
      const name = rest[0];
      if (name === undefined) return fail(ctx, 'Header requires a header name');
      const needs = actionWord === 'unset' || actionWord === 'echo' ? 1 : actionWord.startsWith('edit') ? 3 : 2;
      if (rest.length !== needs) {
        fail(ctx, actionWord === 'unset' || actionWord === 'echo' ? `Unknown parameter: ${rest[1]}` : actionWord.startsWith('edit') ? 'Header edit requires a match and a substitution' : 'Header requires three arguments');
      }
      const op: HeaderOp = { action: actionWord === 'edit*' ? 'edit' : (actionWord as HeaderOp['action']), name, condition, source: ctx.source };
      try {
        if (actionWord === 'echo') op.regex = compileApacheRegex(name, 'i');
        if (actionWord.startsWith('edit')) op.regex = compileApacheRegex(rest[1] as string);
      } catch {
        fail(ctx, `Header ${actionWord}: regular expression could not be compiled`);
      }
      if (actionWord.startsWith('edit')) op.value = rest[2] as string;
      else if (rest[1] !== undefined) op.value = rest[1];
      if (actionWord === 'edit*') op.global = true;
      if (early) op.early = true;
      if (envCondition) op.envCondition = envCondition;
      // Values and patterns are compiled now, once: a bad % format fails here with file and
      // line (as in httpd), and requests only run the compiled op.
      try {
        compileHeaderOp(op);
      } catch (err) {
        fail(ctx, (err as Error).message);
      }
      t.dir.headers = [...(t.dir.headers ?? []), op];
    },
  },
];
