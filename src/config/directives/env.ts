/**
 * @module config/directives/env — mod_env: variables for req.subprocess_env (and CGI-style
 * environments). PassEnv copies the value from modpy's own environment when the config is read.
 */
import { type DirectiveSpec, ALL } from './spec.js';

export const envDirectives: DirectiveSpec[] = [
  {
    name: 'SetEnv',
    module: 'mod_env',
    args: 'take12',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'SetEnv env-variable [value]',
    default: '—',
    help: 'sets a variable for handlers',
    apply(t, args) {
      t.dir.env = { ...t.dir.env, [args[0] as string]: args[1] ?? '' };
    },
  },
  {
    name: 'UnsetEnv',
    module: 'mod_env',
    args: 'iterate',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'UnsetEnv env-variable [env-variable] ...',
    default: '—',
    help: 'removes variables set by an enclosing scope',
    apply(t, args) {
      const env = { ...t.dir.env };
      for (const a of args) env[a] = null;
      t.dir.env = env;
    },
  },
  {
    name: 'PassEnv',
    module: 'mod_env',
    args: 'iterate',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'PassEnv env-variable [env-variable] ...',
    default: '—',
    help: 'passes variables from the server\'s environment',
    apply(t, args, ctx) {
      const env = { ...t.dir.env };
      for (const a of args) {
        const v = process.env[a];
        if (v === undefined) t.global.warnings.push(`AH01506: PassEnv variable ${a} was undefined (${ctx.source.file}:${ctx.source.line})`);
        else env[a] = v;
      }
      t.dir.env = env;
    },
  },
];
