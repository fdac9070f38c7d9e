/**
 * @module config/directives/autoindex — mod_autoindex's directives. modpy produces its own
 * plain directory listing (Options Indexes), so these are accepted and documented as no-ops.
 */
import { type DirectiveSpec, ALL, accepted } from './spec.js';

const NOTE = 'Accepted and ignored: modpy\'s directory listing has a fixed layout.';

function noop(name: string, args: 'iterate' | 'take1' | 'iterate2' | 'raw', syntax: string, help: string): DirectiveSpec {
  return accepted(name, 'mod_autoindex', args, ALL, syntax, help, NOTE, 'Indexes');
}

export const autoindexDirectives: DirectiveSpec[] = [
  noop('IndexOptions', 'raw', 'IndexOptions [+|-]option ...', 'listing options'),
  noop('IndexIgnore', 'iterate', 'IndexIgnore file [file] ...', 'files left out of listings'),
  noop('IndexIgnoreReset', 'take1', 'IndexIgnoreReset On|Off', 'forget inherited IndexIgnore'),
  noop('IndexOrderDefault', 'raw', 'IndexOrderDefault Ascending|Descending Name|Date|Size|Description', 'default listing order'),
  noop('IndexStyleSheet', 'take1', 'IndexStyleSheet url-path', 'stylesheet of listings'),
  noop('IndexHeadInsert', 'take1', 'IndexHeadInsert "markup"', 'markup added to the listing head'),
  noop('HeaderName', 'take1', 'HeaderName filename', 'file shown above listings'),
  noop('ReadmeName', 'take1', 'ReadmeName filename', 'file shown below listings'),
  noop('AddIcon', 'iterate2', 'AddIcon icon name [name] ...', 'icon by name'),
  noop('AddIconByType', 'iterate2', 'AddIconByType icon MIME-type ...', 'icon by type'),
  noop('AddIconByEncoding', 'iterate2', 'AddIconByEncoding icon MIME-encoding ...', 'icon by encoding'),
  noop('AddAlt', 'iterate2', 'AddAlt string file [file] ...', 'alt text by name'),
  noop('AddAltByType', 'iterate2', 'AddAltByType string MIME-type ...', 'alt text by type'),
  noop('AddAltByEncoding', 'iterate2', 'AddAltByEncoding string MIME-encoding ...', 'alt text by encoding'),
  noop('AddDescription', 'iterate2', 'AddDescription string file [file] ...', 'description by name'),
  noop('DefaultIcon', 'take1', 'DefaultIcon url-path', 'icon for unknown files'),
];
