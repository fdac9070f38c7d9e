/**
 * @module config/directives/mime — mod_mime: extension → handler, type and filter mappings.
 * Extensions are stored lower-case with a leading dot, as mod_mime compares them.
 */
import type { DirConfig } from '../types.js';
import { type DirectiveSpec, ALL, RSRC, accepted, serverPath } from './spec.js';

export function normalizeExt(ext: string): string {
  const e = ext.toLowerCase();
  return e.startsWith('.') ? e : `.${e}`;
}

type ExtMapField = 'addHandlers' | 'addTypes';

function addMapping(field: ExtMapField, removeField: 'removeHandlers' | 'removeTypes', name: string, syntax: string, help: string, lower: boolean): DirectiveSpec {
  return {
    name,
    module: 'mod_mime',
    args: 'iterate2',
    contexts: ALL,
    override: 'FileInfo',
    syntax,
    default: '—',
    help,
    apply(t, args) {
      const value = lower ? (args[0] as string).toLowerCase() : (args[0] as string);
      const map: Record<string, string> = { ...t.dir[field] };
      const exts = args.slice(1).map(normalizeExt);
      for (const e of exts) map[e] = value;
      t.dir[field] = map;
      // A later Add* in the same section re-establishes what a Remove* dropped.
      const removed = t.dir[removeField]?.filter((e) => !exts.includes(e));
      if (removed) t.dir[removeField] = removed;
    },
  };
}

function removeMapping(field: ExtMapField, removeField: 'removeHandlers' | 'removeTypes', name: string, help: string): DirectiveSpec {
  return {
    name,
    module: 'mod_mime',
    args: 'iterate',
    contexts: ALL,
    override: 'FileInfo',
    syntax: `${name} extension [extension] ...`,
    default: '—',
    help,
    apply(t, args) {
      const exts = args.map(normalizeExt);
      const map: Record<string, string> = { ...t.dir[field] };
      for (const e of exts) delete map[e];
      t.dir[field] = map;
      t.dir[removeField] = [...new Set([...(t.dir[removeField] ?? []), ...exts])];
    },
  };
}

function addFilters(field: 'addOutputFilters' | 'addInputFilters', name: string): DirectiveSpec {
  return {
    name,
    module: 'mod_mime',
    args: 'iterate2',
    contexts: ALL,
    override: 'FileInfo',
    syntax: `${name} filter[;filter...] extension [extension] ...`,
    default: '—',
    help: `${field === 'addOutputFilters' ? 'output' : 'input'} filters for files with these extensions`,
    apply(t, args) {
      const filters = (args[0] as string).split(';').filter(Boolean);
      const map: Record<string, readonly string[]> = { ...t.dir[field] };
      for (const e of args.slice(1).map(normalizeExt)) map[e] = filters;
      t.dir[field] = map;
    },
  };
}

function setFilters(field: keyof Pick<DirConfig, 'setOutputFilters' | 'setInputFilters'>, name: string): DirectiveSpec {
  return {
    name,
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: `${name} filter[;filter...]`,
    default: '—',
    help: `${field === 'setOutputFilters' ? 'output' : 'input'} filters for every request in scope`,
    apply(t, args) {
      t.dir[field] = (args[0] as string).split(';').filter(Boolean);
    },
  };
}

export const mimeDirectives: DirectiveSpec[] = [
  addMapping('addHandlers', 'removeHandlers', 'AddHandler', 'AddHandler handler-name extension [extension] ...', 'a handler name followed by one or more file extensions', true),
  addMapping('addTypes', 'removeTypes', 'AddType', 'AddType media-type extension [extension] ...', 'a media type followed by one or more file extensions', true),
  removeMapping('addHandlers', 'removeHandlers', 'RemoveHandler', 'drops inherited AddHandler mappings for these extensions'),
  removeMapping('addTypes', 'removeTypes', 'RemoveType', 'drops inherited AddType mappings for these extensions'),
  addFilters('addOutputFilters', 'AddOutputFilter'),
  addFilters('addInputFilters', 'AddInputFilter'),
  setFilters('setOutputFilters', 'SetOutputFilter'),
  setFilters('setInputFilters', 'SetInputFilter'),
  {
    name: 'TypesConfig',
    module: 'mod_mime',
    args: 'take1',
    contexts: RSRC,
    syntax: 'TypesConfig file-path',
    default: 'TypesConfig /etc/mime.types (if readable, else the mime-types package\'s table)',
    help: 'the file mapping extensions to media types',
    differs: 'Default: /etc/mime.types when readable, else the table of the mime-types npm package (httpd: conf/mime.types). Inside <VirtualHost> it is accepted and ignored, as httpd reads only the main server\'s.',
    apply(t, args, ctx) {
      if (ctx.where !== 'server') return;
      t.global.typesConfig = serverPath(ctx, args[0] as string);
    },
  },
  accepted('AddCharset', 'mod_mime', 'iterate2', ALL, 'AddCharset charset extension [extension] ...', 'charset for extensions', 'Accepted and ignored.', 'FileInfo'),
  accepted('AddEncoding', 'mod_mime', 'iterate2', ALL, 'AddEncoding encoding extension [extension] ...', 'content encoding for extensions', 'Accepted and ignored.', 'FileInfo'),
  accepted('AddLanguage', 'mod_mime', 'iterate2', ALL, 'AddLanguage language-tag extension [extension] ...', 'language for extensions', 'Accepted and ignored.', 'FileInfo'),
];
