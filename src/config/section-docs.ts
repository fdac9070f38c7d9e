/**
 * @module config/section-docs — reference entries for the container directives, which the
 * parser and sections.ts implement rather than the directive table (docs/directives.md lists
 * them with the table's entries).
 */
export interface SectionDoc {
  name: string;
  module: string;
  syntax: string;
  context: string;
  help: string;
  differs?: string;
}

export const SECTION_DOCS: readonly SectionDoc[] = [
  { name: '<VirtualHost>', module: 'core', syntax: '<VirtualHost addr[:port] [addr[:port]] ...> ... </VirtualHost>', context: 'server config', help: 'a virtual host: addresses are IP, [IPv6], * or _default_, with an optional port (* = any)', differs: 'Host names in the address are compared literally (localhost = 127.0.0.1 or ::1); httpd resolves them with DNS.' },
  { name: '<Directory>', module: 'core', syntax: '<Directory directory-path> ... </Directory>', context: 'server config, virtual host', help: 'directives for a directory and everything below it; wildcards allowed; `<Directory ~ regex>` is <DirectoryMatch>' },
  { name: '<DirectoryMatch>', module: 'core', syntax: '<DirectoryMatch regex> ... </DirectoryMatch>', context: 'server config, virtual host', help: 'directives for directories matching a regular expression (applied after the plain <Directory> sections)' },
  { name: '<Files>', module: 'core', syntax: '<Files filename> ... </Files>', context: 'server config, virtual host, directory, .htaccess', help: 'directives for files whose base name matches (wildcards allowed; `<Files ~ regex>` is <FilesMatch>)' },
  { name: '<FilesMatch>', module: 'core', syntax: '<FilesMatch regex> ... </FilesMatch>', context: 'server config, virtual host, directory, .htaccess', help: 'directives for files whose base name matches a regular expression' },
  { name: '<Location>', module: 'core', syntax: '<Location URL-path> ... </Location>', context: 'server config, virtual host', help: 'directives for a URL prefix (/a matches /a, /a/ and /a/x, not /ab); with Python handlers no file name is mapped (mod_python\'s Location short-cut)' },
  { name: '<LocationMatch>', module: 'core', syntax: '<LocationMatch regex> ... </LocationMatch>', context: 'server config, virtual host', help: 'directives for URLs matching a regular expression' },
  { name: '<Limit>', module: 'core', syntax: '<Limit method [method] ...> ... </Limit>', context: 'any', help: 'restricts the enclosed Require/Allow/Deny lines to these methods' },
  { name: '<LimitExcept>', module: 'core', syntax: '<LimitExcept method [method] ...> ... </LimitExcept>', context: 'any', help: 'restricts the enclosed Require/Allow/Deny lines to all other methods' },
  { name: '<RequireAll>', module: 'mod_authz_core', syntax: '<RequireAll> ... </RequireAll>', context: 'directory, .htaccess (AuthConfig)', help: 'all enclosed authorization lines must pass' },
  { name: '<RequireAny>', module: 'mod_authz_core', syntax: '<RequireAny> ... </RequireAny>', context: 'directory, .htaccess (AuthConfig)', help: 'one enclosed authorization line must pass (the implicit container of plain Require lines)' },
  { name: '<RequireNone>', module: 'mod_authz_core', syntax: '<RequireNone> ... </RequireNone>', context: 'directory, .htaccess (AuthConfig)', help: 'none of the enclosed authorization lines may pass' },
  { name: '<IfModule>', module: 'core', syntax: '<IfModule [!]module-file|module-identifier> ... </IfModule>', context: 'any', help: 'reads the enclosed lines only when the module is (not) present', differs: 'Modules modpy implements are always present; others never are (LoadModule of them only warns). `modpy_module` (`modpy.c`) is present only under modpy, so `<IfModule modpy_module>` can hold the Modpy* directives in a file Apache also reads.' },
  { name: '<IfDefine>', module: 'core', syntax: '<IfDefine [!]name> ... </IfDefine>', context: 'any', help: 'reads the enclosed lines only when name was (not) given with -D or Define' },
  { name: '<IfFile>', module: 'core', syntax: '<IfFile [!]file-path> ... </IfFile>', context: 'any', help: 'reads the enclosed lines only when the file exists (relative paths: ServerRoot)' },
  { name: '<IfDirective>', module: 'core', syntax: '<IfDirective [!]directive-name> ... </IfDirective>', context: 'any', help: 'reads the enclosed lines only when modpy knows the directive' },
  { name: '<IfSection>', module: 'core', syntax: '<IfSection [!]section-name> ... </IfSection>', context: 'any', help: 'reads the enclosed lines only when modpy knows the section (name without "<")' },
  { name: '<If>, <ElseIf>, <Else>', module: 'core', syntax: '<If expression> ... </If>', context: '—', help: 'not implemented: a configuration error says so', differs: 'httpd evaluates ap_expr expressions per request; modpy rejects these sections.' },
  { name: '<IfVersion>', module: 'mod_version', syntax: '<IfVersion [[!]operator] version> ... </IfVersion>', context: 'any', help: 'reads the enclosed lines when the version test holds; modpy answers as httpd 2.4.71' },
];
