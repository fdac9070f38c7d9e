/**
 * @module config/directives/core-dir — httpd core directives that live in per-directory
 * configuration: handler and type forcing, error documents, body limit, path info, charset.
 */
import { type DirectiveSpec, ALL, accepted, fail, parseCount, parseKeyword } from './spec.js';

export const coreDirDirectives: DirectiveSpec[] = [
  {
    name: 'SetHandler',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'SetHandler handler-name|None',
    default: '—',
    help: 'the handler for every file in scope (mod_python or python-program for Python)',
    apply(t, args) {
      const h = args[0] as string;
      t.dir.setHandler = h.toLowerCase() === 'none' ? null : h.toLowerCase();
    },
  },
  {
    name: 'ForceType',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'ForceType media-type|None',
    default: '—',
    help: 'the media type of every file in scope',
    apply(t, args) {
      const v = args[0] as string;
      t.dir.forceType = v.toLowerCase() === 'none' ? null : v.toLowerCase();
    },
  },
  {
    name: 'DefaultType',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'DefaultType media-type|none',
    default: '—',
    help: 'media type for files whose type is unknown',
    differs: 'httpd 2.4 ignores it (with a warning); modpy uses it for files with no known type.',
    apply(t, args) {
      t.dir.defaultType = (args[0] as string).toLowerCase();
    },
  },
  {
    name: 'ErrorDocument',
    module: 'core',
    args: 'take2',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'ErrorDocument error-code document',
    default: '—',
    help: 'a custom error response: a local URL, a remote URL, a quoted message, or default',
    differs: 'A message that starts with "/" is taken as a local URL (httpd treats one containing a space as text).',
    apply(t, args, ctx) {
      const code = Number(args[0]);
      if (!/^\d{3}$/.test(args[0] as string) || code < 400 || code > 599) fail(ctx, `Unsupported HTTP response code ${args[0]}`);
      // Stored as written: "/path" = local URL, "scheme://…" = redirect, anything else = the text
      // itself; "default" cancels an inherited document (mergeDirConfig drops it).
      t.dir.errorDocuments = { ...t.dir.errorDocuments, [code]: args[1] as string };
    },
  },
  {
    name: 'LimitRequestBody',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'Any',
    syntax: 'LimitRequestBody bytes',
    default: 'LimitRequestBody 1073741824',
    help: 'largest request body accepted (0 = unlimited)',
    apply(t, args, ctx) {
      const n = parseCount(args[0] as string, ctx, 'LimitRequestBody requires a non-negative integer.');
      if (n > 2147483647) fail(ctx, 'LimitRequestBody requires a non-negative integer.');
      t.dir.limitRequestBody = n;
    },
  },
  {
    name: 'ServerSignature',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'Any',
    syntax: 'ServerSignature On|Off|EMail',
    default: 'ServerSignature Off',
    help: 'the footer line on server-generated pages',
    apply(t, args, ctx) {
      t.dir.serverSignature = parseKeyword(args[0] as string, { on: 'On', off: 'Off', email: 'EMail' } as const, ctx, 'ServerSignature: use one of: off | on | email');
    },
  },
  {
    name: 'AcceptPathInfo',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'AcceptPathInfo On|Off|Default',
    default: 'AcceptPathInfo Default',
    help: 'whether trailing path information after a file name is accepted',
    apply(t, args, ctx) {
      t.dir.acceptPathInfo = parseKeyword(args[0] as string, { on: 'On', off: 'Off', default: 'Default' } as const, ctx, 'AcceptPathInfo must be set to on, off, or default');
    },
  },
  {
    name: 'AddDefaultCharset',
    module: 'core',
    args: 'take1',
    contexts: ALL,
    override: 'FileInfo',
    syntax: 'AddDefaultCharset On|Off|charset',
    default: 'AddDefaultCharset Off',
    help: 'charset added to text/plain and text/html responses without one',
    apply(t, args) {
      const v = args[0] as string;
      t.dir.addDefaultCharset = v.toLowerCase() === 'off' ? null : v.toLowerCase() === 'on' ? 'iso-8859-1' : v;
    },
  },
  accepted('FileETag', 'core', 'iterate', ALL, 'FileETag component ...', 'file attributes used in ETags', 'Accepted and ignored: static ETags come from the file size and mtime.', 'FileInfo'),
  accepted('EnableSendfile', 'core', 'flag', ALL, 'EnableSendfile On|Off', 'use sendfile for static files', 'Accepted and ignored.', 'FileInfo'),
  accepted('EnableMMAP', 'core', 'flag', ALL, 'EnableMMAP On|Off', 'use mmap for static files', 'Accepted and ignored.', 'FileInfo'),
];
