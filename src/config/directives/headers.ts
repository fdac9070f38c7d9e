/**
 * @module config/directives/headers — mod_headers: Header (response headers) and RequestHeader
 * (request headers, as the handlers see them).
 * `Header [always|onsuccess] action header [value] [replacement] [early|env=[!]var]`;
 * `RequestHeader action header [value] [replacement] [early|env=[!]var]`.
 */
import { compileHeaderOp } from '../../headers/apply.js';
import { compileApacheRegex } from '../regex.js';
import type { HeaderOp } from '../types.js';
import { type ApplyContext, type DirectiveSpec, ALL, fail } from './spec.js';

const ACTIONS = ['set', 'unset', 'append', 'add', 'merge', 'echo', 'edit', 'edit*'] as const;

/** Parses one Header/RequestHeader line into a compiled op (errors name file and line). */
function parseHeaderOp(directive: 'Header' | 'RequestHeader', args: string[], ctx: ApplyContext): HeaderOp {
  let rest = [...args];
  let condition: HeaderOp['condition'] = 'onsuccess';
  const first = rest[0]?.toLowerCase();
  if (directive === 'Header' && (first === 'always' || first === 'onsuccess')) {
    condition = first;
    rest = rest.slice(1);
  }
  const actionWord = rest.shift()?.toLowerCase();
  if (actionWord === undefined) return fail(ctx, `${directive} requires at least two arguments: an action and a header name`);
  if (actionWord === 'note' || actionWord === 'setifempty') {
    fail(ctx, `${directive} ${actionWord}: this action of mod_headers is not implemented by modpy`);
  }
  // httpd's own messages, the same for both directives.
  if (!(ACTIONS as readonly string[]).includes(actionWord)) {
    fail(ctx, "first argument must be 'add', 'set', 'append', 'merge', 'unset', 'echo', 'edit', or 'edit*'.");
  }
  if (directive === 'RequestHeader' && actionWord === 'echo') fail(ctx, 'Header echo only valid on Header directives');
  // Word by word as httpd reads them: header, value, replacement (edit), then one condition.
  const name = rest[0];
  if (name === undefined) return fail(ctx, `${directive} requires a header name`);
  let value = rest[1];
  let envClause: string | undefined;
  if (actionWord === 'unset' || actionWord === 'echo') {
    if (value !== undefined && rest[2] !== undefined) fail(ctx, `header ${actionWord} takes two arguments`);
    envClause = value;
    value = undefined;
  } else if (actionWord.startsWith('edit')) {
    if (rest[2] === undefined) fail(ctx, 'Header edit requires a match and a substitution');
    if (rest.length > 4) fail(ctx, 'Header has too many arguments');
    envClause = rest[3];
  } else {
    if (value === undefined) fail(ctx, 'Header requires three arguments');
    if (rest.length > 3) fail(ctx, 'Too many arguments to directive');
    envClause = rest[2];
  }
  let early = false;
  let envCondition: HeaderOp['envCondition'];
  if (envClause !== undefined) {
    const m = /^env=(!?)(.+)$/i.exec(envClause);
    if (envClause.toLowerCase() === 'early') early = true;
    else if (m) envCondition = { name: m[2] as string, negated: m[1] === '!' };
    else if (/^expr=/i.test(envClause)) fail(ctx, `${directive}: expr= conditions are not supported by modpy; use env=[!]variable`);
    else fail(ctx, `Unknown parameter: ${envClause}`);
  }
  const op: HeaderOp = { action: actionWord === 'edit*' ? 'edit' : (actionWord as HeaderOp['action']), name, condition, source: ctx.source };
  try {
    // httpd compiles the echo pattern case-sensitively (names as the client wrote them).
    if (actionWord === 'echo') op.regex = compileApacheRegex(name);
    if (actionWord.startsWith('edit')) op.regex = compileApacheRegex(rest[1] as string);
  } catch {
    fail(ctx, `${directive} ${actionWord}: regular expression could not be compiled`);
  }
  if (actionWord.startsWith('edit')) op.value = rest[2] as string;
  else if (value !== undefined) op.value = value;
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
  return op;
}

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
      t.dir.headers = [...(t.dir.headers ?? []), parseHeaderOp('Header', args, ctx)];
    },
  },
  {
    name: 'RequestHeader',
    module: 'mod_headers',
    args: 'raw',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'RequestHeader set|unset|append|add|merge|edit|edit* header [value] [replacement] [early|env=[!]variable]',
    default: '—',
    help: 'changes request headers before the handlers see them',
    note:
      'Applied at fixups, after a PythonFixupHandler and before the content handler (mod_headers runs last in that hook); ' +
      '`early` ones right after the request is read, before every Python phase. Python sees the result in req.headers_in ' +
      'and the CGI/WSGI environment (HTTP_*), the access log in %{…}i.',
    differs: 'The setifempty and note actions and expr= conditions are not implemented (a configuration error says so).',
    apply(t, args, ctx) {
      t.dir.requestHeaders = [...(t.dir.requestHeaders ?? []), parseHeaderOp('RequestHeader', args, ctx)];
    },
  },
];
