/**
 * @module config/directives/dir — mod_dir: directory index files and trailing-slash redirects.
 */
import { type DirectiveSpec, ALL, accepted } from './spec.js';

export const dirDirectives: DirectiveSpec[] = [
  {
    name: 'DirectoryIndex',
    module: 'mod_dir',
    args: 'iterate',
    contexts: ALL,
    override: 'Indexes',
    syntax: 'DirectoryIndex disabled | local-url [local-url] ...',
    default: 'DirectoryIndex index.html',
    help: 'files looked for when a directory is requested',
    apply(t, args) {
      // httpd: "disabled" alone turns the index off; anywhere else it is a file name.
      t.dir.directoryIndex = args.length === 1 && (args[0] as string).toLowerCase() === 'disabled' ? ['disabled'] : [...args];
    },
  },
  accepted('DirectorySlash', 'mod_dir', 'flag', ALL, 'DirectorySlash On|Off', 'redirect directory URLs without a trailing slash', 'Accepted and ignored: modpy always redirects (DirectorySlash On).', 'Indexes'),
  accepted('FallbackResource', 'mod_dir', 'take1', ALL, 'FallbackResource disabled | local-url', 'a URL for requests that map to nothing', 'Accepted and ignored.', 'Indexes'),
];
