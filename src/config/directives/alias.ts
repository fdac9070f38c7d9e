/**
 * @module config/directives/alias — mod_alias: Alias*, ScriptAlias* and Redirect*.
 * Aliases live on the server; redirects on the server or in the section they are written in.
 */
import { compileApacheRegex } from '../regex.js';
import type { AliasRule, RedirectRule } from '../types.js';
import { type ApplyContext, type DirectiveSpec, type DirectiveTarget, ALL, NOT_HTACCESS, RSRC, fail, serverPath } from './spec.js';

function compile(ctx: ApplyContext, source: string): RegExp {
  try {
    return compileApacheRegex(source);
  } catch {
    return fail(ctx, `Regular expression could not be compiled: ${source}`);
  }
}

function alias(kind: AliasRule['kind'], name: string, help: string): DirectiveSpec {
  const isMatch = kind.endsWith('match');
  return {
    name,
    module: 'mod_alias',
    args: 'take2',
    // httpd 2.4 has a one-argument form inside <Location>, which modpy does not implement;
    // the two-argument form in a section gets httpd's message.
    contexts: isMatch ? RSRC : NOT_HTACCESS,
    syntax: `${name} ${isMatch ? 'regex' : 'URL-path'} file-path|directory-path`,
    default: '—',
    help,
    ...(kind.startsWith('script') ? { differs: 'Accepted; modpy does not run CGI, so the target is served like an Alias (mod_cgi is not implemented).' } : {}),
    apply(t, args, ctx) {
      if (ctx.where === 'directory') fail(ctx, `${name} cannot occur within directory context`);
      const rule: AliasRule = { kind, from: args[0] as string, to: isMatch ? (args[1] as string) : serverPath(ctx, args[1] as string), source: ctx.source };
      if (isMatch) rule.regex = compile(ctx, rule.from);
      t.server.aliases.push(rule);
    },
  };
}

const STATUS_WORDS: Readonly<Record<string, number>> = { permanent: 301, temp: 302, seeother: 303, gone: 410 };

function pushRedirect(t: DirectiveTarget, ctx: ApplyContext, rule: RedirectRule): void {
  if (ctx.where === 'server' || ctx.where === 'vhost') t.server.redirects.push(rule);
  else t.dir.redirects = [...(t.dir.redirects ?? []), rule];
}

function redirect(name: string, fixedStatus: number | null, isMatch: boolean): DirectiveSpec {
  return {
    name,
    module: 'mod_alias',
    args: fixedStatus === null ? 'take123' : 'take2',
    contexts: ALL,
    override: 'FileInfo',
    syntax: fixedStatus === null ? `${name} [status] ${isMatch ? 'regex' : 'URL-path'} URL` : `${name} URL-path URL`,
    default: '—',
    help: `redirects ${isMatch ? 'URLs matching a regular expression' : 'a URL prefix'} to another URL`,
    apply(t, args, ctx) {
      let status = fixedStatus ?? 302;
      let rest = args;
      if (fixedStatus === null && args.length > 1) {
        const first = (args[0] as string).toLowerCase();
        if (first in STATUS_WORDS) {
          status = STATUS_WORDS[first] as number;
          rest = args.slice(1);
        } else if (/^\d{3}$/.test(first)) {
          status = Number(first);
          rest = args.slice(1);
        }
      }
      const [from, to] = rest;
      if (from === undefined) return fail(ctx, 'URL to redirect to is missing');
      if (rest.length > 2) fail(ctx, `${name} takes 1-3 arguments, the status, the URL-path and the URL`);
      const is3xx = status >= 300 && status <= 399;
      if (is3xx && to === undefined) fail(ctx, 'URL to redirect to is missing');
      if (!is3xx && to !== undefined) fail(ctx, 'Redirect URL not valid for this status');
      if (to !== undefined && !to.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(to)) fail(ctx, 'Redirect to non-URL');
      const rule: RedirectRule = { kind: isMatch ? 'redirectmatch' : 'redirect', status, from, to: to ?? null, source: ctx.source };
      if (isMatch) rule.regex = compile(ctx, from);
      pushRedirect(t, ctx, rule);
    },
  };
}

export const aliasDirectives: DirectiveSpec[] = [
  alias('alias', 'Alias', 'maps a URL prefix to a file-system path'),
  alias('aliasmatch', 'AliasMatch', 'maps URLs matching a regular expression to a path ($1… substituted)'),
  alias('scriptalias', 'ScriptAlias', 'maps a URL prefix to a directory of scripts'),
  alias('scriptaliasmatch', 'ScriptAliasMatch', 'maps URLs matching a regular expression to scripts'),
  redirect('Redirect', null, false),
  redirect('RedirectMatch', null, true),
  redirect('RedirectPermanent', 301, false),
  redirect('RedirectTemp', 302, false),
];
