import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConfigError, load } from './helpers.js';

const CONTEXT = 'MPY_ERR_CONFIG_CONTEXT';
const BAD = 'MPY_ERR_CONFIG_BAD_ARGUMENT';

// Messages checked against /usr/sbin/apache2 -t (2.4) with mod_python 3.5 loaded.
const cases: { text: string; line: number; message: string; code?: string }[] = [
  { text: 'Foo bar', line: 1, message: "Invalid command 'Foo', perhaps misspelled or defined by a module not included in the server configuration", code: 'MPY_ERR_CONFIG_UNKNOWN_DIRECTIVE' },
  { text: '<Foo bar>\n</Foo>', line: 1, message: "Invalid command '<Foo', perhaps misspelled or defined by a module not included in the server configuration" },
  { text: 'AuthType Basic', line: 1, message: 'AuthType not allowed here', code: CONTEXT },
  { text: 'Require all granted', line: 1, message: 'Require not allowed here', code: CONTEXT },
  { text: 'AllowOverride None', line: 1, message: 'AllowOverride not allowed here', code: CONTEXT },
  { text: '<Directory /x>\n<Directory /y>\n</Directory>\n</Directory>', line: 2, message: '<Directory not allowed in <Directory> context', code: CONTEXT },
  { text: '<Directory /x>\n<Location /y>\n</Location>\n</Directory>', line: 2, message: '<Location not allowed in <Directory> context', code: CONTEXT },
  { text: '<VirtualHost *:80>\nListen 90\n</VirtualHost>', line: 2, message: 'Listen cannot occur within <VirtualHost> section', code: CONTEXT },
  { text: '<VirtualHost *:80>\n<VirtualHost *:81>\n</VirtualHost>\n</VirtualHost>', line: 2, message: '<VirtualHost> cannot occur within <VirtualHost> section', code: CONTEXT },
  { text: '<Directory /x>\n<VirtualHost *:81>\n</VirtualHost>\n</Directory>', line: 2, message: '<VirtualHost not allowed in <Directory> context', code: CONTEXT },
  { text: '<Directory /x>\nServerName y\n</Directory>', line: 2, message: 'ServerName not allowed in <Directory> context', code: CONTEXT },
  { text: '<Location /x>\nServerName y\n</Location>', line: 2, message: 'ServerName not allowed in <Location> context', code: CONTEXT },
  { text: '<Files x>\nServerName y\n</Files>', line: 2, message: 'ServerName not allowed in <Files> context', code: CONTEXT },
  { text: '<LocationMatch /x>\nPythonImport a b\n</LocationMatch>', line: 2, message: 'PythonImport not allowed in <LocationMatch> context', code: CONTEXT },
  { text: '<Directory /x>\nPythonTransHandler a\n</Directory>', line: 2, message: 'PythonTransHandler not allowed in <Directory> context', code: CONTEXT },
  { text: '<Location /x>\n<Files a>\n</Files>\n</Location>', line: 2, message: '<Files> cannot occur within <Location> section', code: CONTEXT },
  { text: '<Directory /x>\n<RequireAll>\nOptions None\n</RequireAll>\n</Directory>', line: 3, message: 'Options not allowed in <RequireAll> context', code: CONTEXT },
  { text: 'PythonAutoReload maybe', line: 1, message: 'PythonAutoReload must be On or Off', code: BAD },
  { text: 'KeepAlive perhaps', line: 1, message: 'KeepAlive must be On or Off' },
  { text: 'PythonTransHandler a | .py', line: 1, message: 'PythonTransHandler does not accept "| .ext" syntax.' },
  { text: 'PythonPostReadRequestHandler a | .py', line: 1, message: 'PythonPostReadRequestHandler does not accept "| .ext" syntax.' },
  { text: 'ServerAlias a', line: 1, message: 'ServerAlias only used in <VirtualHost>' },
  { text: 'Options +Indexes FollowSymLinks', line: 1, message: 'Either all Options must start with + or -, or no Option may.' },
  { text: 'Options Bogus', line: 1, message: 'Illegal option Bogus' },
  { text: 'Options +None', line: 1, message: "You may not use 'Options +None' or 'Options -None'." },
  { text: '<Directory /x>\nAllowOverride Bogus\n</Directory>', line: 2, message: 'Illegal override option Bogus' },
  { text: '<Directory /x>\nAllowOverride Options=Bogus\n</Directory>', line: 2, message: 'Illegal option Bogus' },
  { text: 'Redirect 410 /a http://x/', line: 1, message: 'Redirect URL not valid for this status' },
  { text: 'Redirect /a', line: 1, message: 'URL to redirect to is missing' },
  { text: 'Redirect 301 /a b', line: 1, message: 'Redirect to non-URL' },
  { text: 'RequestHeader echo X', line: 1, message: 'Header echo only valid on Header directives' },
  { text: 'RequestHeader set X', line: 1, message: 'Header requires three arguments' },
  { text: 'RequestHeader set X v always', line: 1, message: 'Unknown parameter: always' },
  { text: 'Header set X v a b', line: 1, message: 'Too many arguments to directive' },
  { text: 'Header unset X a b', line: 1, message: 'header unset takes two arguments' },
  { text: 'Header edit X a b c', line: 1, message: 'Unknown parameter: c' },
  { text: 'Header edit X a b c d', line: 1, message: 'Header has too many arguments' },
  { text: 'Header foo X', line: 1, message: "first argument must be 'add', 'set', 'append', 'merge', 'unset', 'echo', 'edit', or 'edit*'." },
  { text: 'Header set X', line: 1, message: 'Header requires three arguments' },
  { text: 'Header unset X Y', line: 1, message: 'Unknown parameter: Y' },
  { text: 'Header edit X a', line: 1, message: 'Header edit requires a match and a substitution' },
  { text: 'ErrorDocument 399 /x', line: 1, message: 'Unsupported HTTP response code 399' },
  { text: 'ErrorDocument 404', line: 1, message: 'ErrorDocument takes two arguments, a custom error response: a local URL, a remote URL, a quoted message, or default' },
  { text: 'Listen 80\nListen 80', line: 2, message: 'Cannot define multiple Listeners on the same IP:port' },
  { text: 'Listen abc', line: 1, message: 'Port must be specified' },
  { text: 'LogLevel bogus', line: 1, message: 'Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8' },
  { text: 'LogLevel info mod_python:loud', line: 1, message: 'Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8' },
  { text: '<Directory /x>\nAuthBasicProvider dbm\n</Directory>', line: 2, message: 'Unknown Authn provider: dbm' },
  { text: '<Directory /x>\nRequire foo\n</Directory>', line: 2, message: 'Unknown Authz provider: foo' },
  { text: '<Directory /x>\nRequire all bogus\n</Directory>', line: 2, message: "Argument for 'Require all' must be 'granted' or 'denied'" },
  { text: '<Directory /x>\nRequire ip 1.2.3.999\n</Directory>', line: 2, message: "ip address '1.2.3.999' appears to be invalid" },
  { text: '<Directory /x>\nRequire not user x\n</Directory>', line: 2, message: 'negative Require directive has no effect in <RequireAny> directive' },
  { text: '<Directory /x>\n<RequireAny>\nRequire not ip 1.2.3.4\n</RequireAny>\n</Directory>', line: 3, message: 'negative Require directive has no effect in <RequireAny> directive' },
  { text: '<Directory /x>\n<RequireNone>\nRequire not ip 1.2.3.4\n</RequireNone>\n</Directory>', line: 3, message: 'negative Require directive has no effect in <RequireNone> directive' },
  { text: '<Directory /x>\n<RequireNone>\nRequire ip 1.2.3.4\n</RequireNone>\n</Directory>', line: 2, message: '<RequireNone> directive has no effect in <RequireAny> directive' },
  { text: '<Directory /x>\n<RequireAll>\n</RequireAll>\n</Directory>', line: 2, message: '<RequireAll> directive contains no authorization directives' },
  { text: '<Directory /x>\n<RequireAll>\nRequire not ip 1.2.3.4\n</RequireAll>\n</Directory>', line: 2, message: '<RequireAll> directive contains only negative authorization directives' },
  { text: '<Directory /x>\n<Limit>\n</Limit>\n</Directory>', line: 2, message: '<Limit> directive requires additional arguments' },
  { text: '<Directory>\n</Directory>', line: 1, message: '<Directory> directive requires additional arguments' },
  { text: 'PythonImport a', line: 1, message: 'PythonImport takes two arguments, the module and the interpreter name to import it in when the worker starts' },
  { text: 'PythonOutputFilter', line: 1, message: 'PythonOutputFilter takes 1-2 arguments, registers a Python output filter; activate it with SetOutputFilter/AddOutputFilter' },
  { text: 'ServerName', line: 1, message: 'ServerName takes one argument, the host name (and port) the server identifies itself with' },
  { text: 'AddHandler mod_python', line: 1, message: 'AddHandler requires at least two arguments, a handler name followed by one or more file extensions' },
  { text: 'LimitRequestBody abc', line: 1, message: 'LimitRequestBody requires a non-negative integer.' },
  { text: 'ServerTokens x', line: 1, message: "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'" },
  { text: 'ServerSignature x', line: 1, message: 'ServerSignature: use one of: off | on | email' },
  // Keywords are looked up as own keys: inherited object properties are not keywords.
  { text: 'ServerSignature constructor', line: 1, message: 'ServerSignature: use one of: off | on | email' },
  { text: 'ServerTokens toString', line: 1, message: "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'" },
  { text: '<Directory /x>\nAcceptPathInfo maybe\n</Directory>', line: 2, message: 'AcceptPathInfo must be set to on, off, or default' },
  { text: '<Directory /x>\nAcceptPathInfo __proto__\n</Directory>', line: 2, message: 'AcceptPathInfo must be set to on, off, or default' },
  { text: '<Directory /x>\nSatisfy some\n</Directory>', line: 2, message: "Satisfy either 'any' or 'all'." },
  { text: 'GracefulShutdownTimeout soon', line: 1, message: "GracefulShutdownTimeout must be a number of seconds (0 = no limit), got 'soon'" },
  { text: 'Define', line: 1, message: 'Define takes 1-2 arguments, Define a variable, optionally to a value.  Same as passing -D to the command line.' },
  { text: 'Include', line: 1, message: 'Include takes one argument, Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file' },
  { text: 'AliasMatch "(" /x', line: 1, message: 'Regular expression could not be compiled: (' },
  { text: 'ModpyPool', line: 1, message: 'ModpyPool requires an interpreter name, then key=value settings' },
  { text: 'ModpyPool app processes=0', line: 1, message: "processes must have 0 <= MIN <= MAX and MAX >= 1, got '0'" },
  { text: 'ModpyPool app processes=3-2', line: 1, message: "processes must have 0 <= MIN <= MAX and MAX >= 1, got '3-2'" },
  { text: 'ModpyPool app speed=fast', line: 1, message: "unknown pool setting 'speed' (keys: python, processes, idle-timeout, max-requests, max-requests-jitter, max-memory, request-timeout, grace, startup-timeout, queue, pipeline, direct-write, spin, env)" },
  { text: 'ModpyPoolDefaults spin=20000', line: 1, message: "spin must be at most 10000 (µs), got '20000'" },
  { text: 'ModpyPool app spin=-5', line: 1, message: "spin must be an integer >= 0, got '-5'" },
  { text: 'ModpyPoolDefaults request-timeout=soon', line: 1, message: "request-timeout must be a number of seconds, got 'soon'" },
  { text: 'ModpyPoolDefaults env=NOVALUE', line: 1, message: "env= must be env=NAME=VALUE, got 'env=NOVALUE'" },
  { text: '<VirtualHost *:80>\nModpyPool a processes=1\n</VirtualHost>', line: 2, message: 'ModpyPool cannot occur within <VirtualHost> section' },
  { text: 'CustomLog logs/x common expr=1', line: 1, message: "CustomLog: the condition must be env=[!]variable (modpy does not support 'expr=1')" },
  { text: '<Directory /x>\nOrder sideways\n</Directory>', line: 2, message: 'unknown order' },
  { text: '<Directory /x>\nAllow 1.2.3.4\n</Directory>', line: 2, message: "allow and deny must be followed by 'from'" },
];

void test('every configuration error carries httpd wording, the file and the line', async () => {
  const failures: string[] = [];
  for (const c of cases) {
    try {
      await assertConfigError(c.text, c);
    } catch (err) {
      failures.push(`${JSON.stringify(c.text)}: ${(err as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

void test('AllowOverride outside <Directory> is accepted with httpd\'s "useless use" warning', async () => {
  const cfg = await load('<Location /x>\nAllowOverride All\n</Location>');
  assert.ok(cfg.warnings.some((w) => w === 'AH00114: Useless use of AllowOverride in line 3 of /virtual/site.conf.'));
});

void test('<If> sections get a clear "not implemented" error', async () => {
  await assertConfigError('<If "%{HTTPS} == \'on\'">\nPythonOption a 1\n</If>', { line: 1, message: '<If> (ap_expr expressions) is not implemented by modpy; use <IfDefine>, <IfModule> or separate sections' });
});

void test('keywords are read in any case and stored in their canonical spelling', async () => {
  const cfg = await load('ServerTokens PRODUCTONLY\nServerSignature eMaIl\nAcceptPathInfo OFF\n<Directory /x>\nOrder Allow,Deny\nSatisfy ANY\n</Directory>');
  assert.equal(cfg.serverTokens, 'Prod');
  assert.equal(cfg.main.dirDefaults.serverSignature, 'EMail');
  assert.equal(cfg.main.dirDefaults.acceptPathInfo, 'Off');
  assert.equal(cfg.main.sections[0]?.config.satisfyAny, true);
  assert.equal(cfg.main.sections[0]?.config.accessCompat?.expr.kind === 'require' && cfg.main.sections[0]?.config.accessCompat.expr.args[0], 'denied', 'Allow,Deny without Allow denies');
});
