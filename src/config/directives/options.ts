/**
 * @module config/directives/options — Options and AllowOverride (core): which features a
 * directory enables and which directive classes its .htaccess files may use.
 */
import type { OptionsSet, OverrideClass } from '../types.js';
import { type ApplyContext, type DirectiveSpec, ALL, accepted, fail } from './spec.js';

const OPTION_NAMES: Readonly<Record<string, (keyof OptionsSet)[]>> = {
  indexes: ['indexes'],
  includes: ['includes'],
  includesnoexec: ['includes', 'includesNoExec'],
  followsymlinks: ['followSymLinks'],
  symlinksifownermatch: ['symLinksIfOwnerMatch'],
  execcgi: ['execCGI'],
  multiviews: ['multiViews'],
  // httpd: All is everything except MultiViews.
  all: ['indexes', 'includes', 'followSymLinks', 'symLinksIfOwnerMatch', 'execCGI'],
  none: [],
};

const ALL_OPTION_FIELDS: (keyof OptionsSet)[] = ['indexes', 'followSymLinks', 'symLinksIfOwnerMatch', 'execCGI', 'includes', 'includesNoExec', 'multiViews'];

/** Options as httpd: an absolute list sets every option; a +/- list changes only those named. */
export function parseOptions(args: string[], ctx: ApplyContext): OptionsSet {
  const relative = args.map((a) => a.startsWith('+') || a.startsWith('-'));
  if (relative.some((r) => r) && relative.some((r) => !r)) fail(ctx, 'Either all Options must start with + or -, or no Option may.');
  const out: OptionsSet = {};
  if (!relative.some((r) => r)) for (const f of ALL_OPTION_FIELDS) out[f] = false;
  for (const arg of args) {
    const sign = arg[0] === '+' || arg[0] === '-' ? arg[0] : '';
    const name = arg.slice(sign.length);
    const fields = OPTION_NAMES[name.toLowerCase()];
    if (sign && name.toLowerCase() === 'none') fail(ctx, "You may not use 'Options +None' or 'Options -None'.");
    if (!fields) fail(ctx, `Illegal option ${name}`);
    if (ctx.where === 'htaccess' && ctx.allowedOptions && !ctx.allowedOptions.some((o) => o.toLowerCase() === name.toLowerCase())) {
      fail(ctx, `Option ${name} not allowed here`);
    }
    const on = sign !== '-';
    for (const f of fields) out[f] = on;
    // Includes without NOEXEC lifts a previous IncludesNOEXEC.
    if (on && name.toLowerCase() === 'includes') out.includesNoExec = false;
  }
  return out;
}

const OVERRIDE_CLASSES: OverrideClass[] = ['AuthConfig', 'FileInfo', 'Indexes', 'Limit', 'Options'];

export const optionsDirectives: DirectiveSpec[] = [
  {
    name: 'Options',
    module: 'core',
    args: 'raw',
    contexts: ALL,
    override: 'Options',
    syntax: 'Options [+|-]option [[+|-]option] ...',
    default: 'Options FollowSymlinks',
    help: 'features enabled in a directory: Indexes, Includes, IncludesNOEXEC, FollowSymLinks, SymLinksIfOwnerMatch, ExecCGI, MultiViews, All, None',
    differs: 'Only Indexes and FollowSymLinks/SymLinksIfOwnerMatch change what modpy does; the others are kept for Python code (and req.get_config) only.',
    apply(t, args, ctx) {
      t.dir.options = { ...t.dir.options, ...parseOptions(args, ctx) };
    },
  },
  {
    name: 'AllowOverride',
    module: 'core',
    args: 'iterate',
    contexts: ['directory'],
    syntax: 'AllowOverride All|None|directive-type [directive-type] ...',
    default: 'AllowOverride None',
    help: 'which directive classes .htaccess files may use',
    note: 'As in httpd 2.4: without any AllowOverride, .htaccess files are still read and every directive in them is an error (500); only an explicit AllowOverride None skips them.',
    apply(t, args, ctx) {
      if (ctx.sectionKind !== 'directory' && ctx.sectionKind !== 'directorymatch') {
        t.global.warnings.push(`AH00114: Useless use of AllowOverride in line ${ctx.source.line} of ${ctx.source.file}.`);
        return;
      }
      const set = new Set<OverrideClass>();
      let options: string[] | undefined;
      for (const a of args) {
        const [word, list] = a.split('=', 2) as [string, string | undefined];
        const lw = word.toLowerCase();
        if (lw === 'none') set.clear();
        else if (lw === 'all') for (const c of OVERRIDE_CLASSES) set.add(c);
        else {
          const cls = OVERRIDE_CLASSES.find((c) => c.toLowerCase() === lw);
          if (!cls) fail(ctx, `Illegal override option ${a}`);
          set.add(cls);
          if (cls === 'Options' && list !== undefined) {
            options = list.split(',').filter(Boolean);
            for (const o of options) if (!OPTION_NAMES[o.toLowerCase()] || o.toLowerCase() === 'none') fail(ctx, `Illegal option ${o}`);
          }
        }
      }
      t.dir.allowOverride = set;
      if (options) t.dir.allowOverrideOptions = options;
      else delete t.dir.allowOverrideOptions;
    },
  },
  accepted('AllowOverrideList', 'core', 'iterate', ['directory'], 'AllowOverrideList None|directive [directive-type] ...', 'single directives .htaccess files may use', 'Accepted and ignored: only AllowOverride classes decide what .htaccess may contain.'),
];
