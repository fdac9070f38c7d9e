/**
 * @module config/directives/python — mod_python's directives (spec §3.2), with upstream's
 * bugs fixed where the brief says so (PythonImport in virtual hosts runs, in config order).
 */
import type { HandlerEntry, PhaseDirective, PythonFilterSpec } from '../types.js';
import { type ApplyContext, type DirectiveSpec, type DirectiveTarget, ALL, NOT_HTACCESS, RSRC, fail, parseFlag } from './spec.js';

/** The twelve per-request phases, in the order mod_python registers them. */
export const PHASES: readonly PhaseDirective[] = [
  'PythonPostReadRequestHandler',
  'PythonTransHandler',
  'PythonHeaderParserHandler',
  'PythonInitHandler',
  'PythonAccessHandler',
  'PythonAuthenHandler',
  'PythonAuthzHandler',
  'PythonTypeHandler',
  'PythonFixupHandler',
  'PythonHandler',
  'PythonLogHandler',
  'PythonCleanupHandler',
];

/** Phases that run before URI translation: server/vhost only, no `| .ext`. */
const EARLY = new Set<string>(['PythonPostReadRequestHandler', 'PythonTransHandler']);

function entry(handler: string, ctx: ApplyContext, silent: boolean): HandlerEntry {
  const e: HandlerEntry = { handler, directory: ctx.handlerDir.directory, isLocation: ctx.handlerDir.isLocation, silent };
  if (ctx.handlerDir.pattern) e.directoryPattern = ctx.handlerDir.pattern;
  return e;
}

/** Appends entries under `key` in this section: stacking within one section (spec §3.1). */
function stack(t: DirectiveTarget, key: string, entries: HandlerEntry[]): void {
  const current = t.dir.pythonHandlers ?? {};
  t.dir.pythonHandlers = { ...current, [key]: [...(current[key] ?? []), ...entries] };
}

function handlerDirective(phase: PhaseDirective): DirectiveSpec {
  const early = EARLY.has(phase);
  return {
    name: phase,
    module: 'mod_python',
    args: 'raw',
    contexts: early ? RSRC : ALL,
    ...(early ? {} : { override: 'Any' as const }),
    syntax: early ? `${phase} handler [handler] ...` : `${phase} handler [handler] ... [| .ext [.ext] ...]`,
    default: '—',
    help: `Python handler(s) for the ${phase.replace(/^Python|Handler$/g, '') || 'content'} phase, as module[::object]`,
    ...(phase === 'PythonInitHandler'
      ? { differs: 'Inside a directory section it runs at the header-parser phase; mod_python 3.5 never runs it there.' }
      : {}),
    apply(t, args, ctx) {
      const bar = args.indexOf('|');
      const handlers = bar < 0 ? args : args.slice(0, bar);
      const exts = bar < 0 ? [] : args.slice(bar + 1);
      if (bar >= 0 && early) fail(ctx, `${phase} does not accept "| .ext" syntax.`);
      if (handlers.length === 0) fail(ctx, `${phase} requires at least one handler (module[::object])`);
      if (bar >= 0 && exts.length === 0) fail(ctx, `${phase}: "|" must be followed by one or more extensions, e.g. | .py`);
      const entries = handlers.map((h) => entry(h, ctx, false));
      if (exts.length === 0) stack(t, phase, entries);
      for (const ext of exts) stack(t, phase + (ext.startsWith('.') ? ext : `.${ext}`), entries);
    },
  };
}

/** Scalar directives: stored as get_config() shows them, and at server level also in the
 *  server's own table (except PythonInterpPerDirectory, as mod_python). */
function setScalar(t: DirectiveTarget, ctx: ApplyContext, key: string, value: string): void {
  t.dir.pythonDirectives = { ...t.dir.pythonDirectives, [key]: value };
  if ((ctx.where === 'server' || ctx.where === 'vhost') && key !== 'PythonInterpPerDirectory') {
    t.server.pythonServerDirectives[key] = value;
  }
}

function flagDirective(name: string, def: 'On' | 'Off', help: string): DirectiveSpec {
  return {
    name,
    module: 'mod_python',
    args: 'flag',
    contexts: ALL,
    override: 'Any',
    syntax: `${name} On|Off`,
    default: `${name} ${def}`,
    help,
    apply(t, args, ctx) {
      setScalar(t, ctx, name, parseFlag(name, args[0] as string, ctx) ? '1' : '0');
    },
  };
}

function filterDirective(name: 'PythonInputFilter' | 'PythonOutputFilter'): DirectiveSpec {
  const isInput = name === 'PythonInputFilter';
  return {
    name,
    module: 'mod_python',
    args: 'take12',
    contexts: NOT_HTACCESS,
    syntax: `${name} handler [name]`,
    default: '—',
    help: `registers a Python ${isInput ? 'input' : 'output'} filter; activate it with ${isInput ? 'SetInputFilter/AddInputFilter' : 'SetOutputFilter/AddOutputFilter'}`,
    differs: 'Also accepted in directory sections (mod_python accepts it there although its docs say server config only).',
    apply(t, args, ctx) {
      const handler = args[0] as string;
      const filterName = args[1] ?? handler;
      const spec: PythonFilterSpec = { name: filterName, handler, directory: ctx.handlerDir.directory, isInput };
      if (isInput) t.dir.pythonInputFilters = { ...t.dir.pythonInputFilters, [filterName]: spec };
      else t.dir.pythonOutputFilters = { ...t.dir.pythonOutputFilters, [filterName]: spec };
    },
  };
}

export const pythonDirectives: DirectiveSpec[] = [
  ...PHASES.map(handlerDirective),
  {
    name: 'PythonHandlerModule',
    module: 'mod_python',
    args: 'take1',
    contexts: ALL,
    override: 'Any',
    syntax: 'PythonHandlerModule module',
    default: '—',
    help: 'registers module for every phase; phases whose function the module lacks are skipped',
    differs: 'A missing phase function is really skipped (mod_python 3.5 fails the request with 500).',
    apply(t, args, ctx) {
      for (const phase of PHASES) stack(t, phase, [entry(args[0] as string, ctx, true)]);
    },
  },
  {
    name: 'PythonConnectionHandler',
    module: 'mod_python',
    args: 'take1',
    contexts: RSRC,
    syntax: 'PythonConnectionHandler module[::object]',
    default: '—',
    help: 'handles whole connections to this server instead of HTTP',
    apply(t, args) {
      t.server.pythonConnectionHandler = { handler: args[0] as string, directory: null, isLocation: false, silent: false };
    },
  },
  filterDirective('PythonInputFilter'),
  filterDirective('PythonOutputFilter'),
  {
    name: 'PythonImport',
    module: 'mod_python',
    args: 'take2',
    contexts: RSRC,
    syntax: 'PythonImport module[::function] interpreter',
    default: '—',
    help: 'the module and the interpreter name to import it in when the worker starts',
    differs: 'Entries inside <VirtualHost> run too, and all run in configuration order (mod_python ignores vhost entries and runs the rest in reverse).',
    apply(t, args, ctx) {
      const imp = { module: args[0] as string, interpreter: args[1] as string, source: ctx.source };
      t.server.pythonImports.push(imp);
      t.global.pythonImports.push(imp);
    },
  },
  {
    name: 'PythonPath',
    module: 'mod_python',
    args: 'take1',
    contexts: ALL,
    override: 'Any',
    syntax: 'PythonPath "python expression"',
    default: '—',
    help: 'a Python expression whose value becomes sys.path (evaluated once per distinct text)',
    apply(t, args, ctx) {
      setScalar(t, ctx, 'PythonPath', args[0] as string);
    },
  },
  flagDirective('PythonDebug', 'Off', 'sends Python tracebacks to the client and logs imports'),
  flagDirective('PythonEnablePdb', 'Off', 'runs handlers under pdb when started with -DONE_PROCESS'),
  flagDirective('PythonAutoReload', 'On', 'reloads handler modules whose file changed'),
  flagDirective('PythonInterpPerDirectory', 'Off', 'names the interpreter after the directory of the requested file'),
  flagDirective('PythonInterpPerDirective', 'Off', 'names the interpreter after the directory where the handler directive is written'),
  {
    name: 'PythonInterpreter',
    module: 'mod_python',
    args: 'take1',
    contexts: ALL,
    override: 'Any',
    syntax: 'PythonInterpreter name',
    default: '—',
    help: 'forces the interpreter (worker pool) name',
    apply(t, args, ctx) {
      setScalar(t, ctx, 'PythonInterpreter', args[0] as string);
    },
  },
  {
    name: 'PythonOption',
    module: 'mod_python',
    args: 'take12',
    contexts: ALL,
    override: 'Any',
    syntax: 'PythonOption key [value]',
    default: '—',
    help: 'a key/value pair for req.get_options(); an empty or missing value removes an inherited key',
    apply(t, args, ctx) {
      const key = args[0] as string;
      const value = args[1] ?? '';
      t.dir.pythonOptions = { ...t.dir.pythonOptions, [key]: value };
      if (ctx.where === 'server' || ctx.where === 'vhost') t.server.pythonServerOptions[key] = value;
    },
  },
  {
    name: 'PythonOptimize',
    module: 'mod_python',
    args: 'flag',
    contexts: RSRC,
    syntax: 'PythonOptimize On|Off',
    default: 'PythonOptimize Off',
    help: 'starts the Python workers with -OO',
    apply(t, args, ctx) {
      t.global.pythonOptimize = parseFlag('PythonOptimize', args[0] as string, ctx);
    },
  },
];
