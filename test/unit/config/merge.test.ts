import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeDirConfig } from '../../../src/config/merge.js';
import type { DirConfig, HandlerEntry, HeaderOp, LimitedRequire, SetEnvIfRule } from '../../../src/config/types.js';

const src = { file: 'f', line: 1 };
const entry = (handler: string): HandlerEntry => ({ handler, directory: '/d/', isLocation: false, silent: false });
const header = (name: string): HeaderOp => ({ action: 'set', name, value: 'v', condition: 'onsuccess', source: src });
const sei = (name: string): SetEnvIfRule => ({
  attributeName: name, attribute: { kind: 'header', name }, match: { kind: 'substring', text: 'x', ignoreCase: false }, features: [[name, '1']], serverLevel: false, source: src,
});
const req = (user: string): LimitedRequire => ({ methods: null, except: false, expr: { kind: 'require', negated: false, provider: 'user', args: [user], source: src } });

const cases: { name: string; parent: DirConfig; child: DirConfig; expect: DirConfig }[] = [
  { name: 'child scalar overrides parent', parent: { setHandler: 'a', authName: 'p' }, child: { setHandler: 'b' }, expect: { setHandler: 'b', authName: 'p' } },
  { name: 'null (SetHandler None) overrides', parent: { setHandler: 'a' }, child: { setHandler: null }, expect: { setHandler: null } },
  { name: 'undefined inherits', parent: { defaultType: 'text/plain' }, child: {}, expect: { defaultType: 'text/plain' } },
  {
    name: 'pythonOptions and pythonDirectives overlay key by key',
    parent: { pythonOptions: { a: '1', b: '2' }, pythonDirectives: { PythonDebug: '1', PythonPath: 'x' } },
    child: { pythonOptions: { b: '', c: '3' }, pythonDirectives: { PythonDebug: '0' } },
    expect: { pythonOptions: { a: '1', b: '', c: '3' }, pythonDirectives: { PythonDebug: '0', PythonPath: 'x' } },
  },
  {
    name: 'python handler lists replace per key, other keys inherit',
    parent: { pythonHandlers: { PythonHandler: [entry('a'), entry('b')], PythonFixupHandler: [entry('f')] } },
    child: { pythonHandlers: { PythonHandler: [entry('c')], 'PythonHandler.py': [entry('p')] } },
    expect: { pythonHandlers: { PythonHandler: [entry('c')], PythonFixupHandler: [entry('f')], 'PythonHandler.py': [entry('p')] } },
  },
  { name: 'SetEnvIf rules accumulate parent first', parent: { setEnvIf: [sei('A')] }, child: { setEnvIf: [sei('B')] }, expect: { setEnvIf: [sei('A'), sei('B')] } },
  { name: 'headers accumulate parent first', parent: { headers: [header('A')] }, child: { headers: [header('B')] }, expect: { headers: [header('A'), header('B')] } },
  {
    name: 'request headers accumulate parent first',
    parent: { requestHeaders: [header('A')] },
    child: { requestHeaders: [header('B')] },
    expect: { requestHeaders: [header('A'), header('B')] },
  },
  { name: 'require replaces', parent: { require: [req('a'), req('b')] }, child: { require: [req('c')] }, expect: { require: [req('c')] } },
  { name: 'require inherits when the child has none', parent: { require: [req('a')] }, child: { authName: 'x' }, expect: { require: [req('a')], authName: 'x' } },
  {
    name: 'addHandlers/addTypes/errorDocuments/filters overlay',
    parent: { addHandlers: { '.py': 'mod_python', '.psp': 'mod_python' }, addTypes: { '.x': 'a/b' }, errorDocuments: { 404: '/nf', 500: '/err' }, addOutputFilters: { '.html': ['A'] } },
    child: { addHandlers: { '.py': 'python-program' }, errorDocuments: { 404: 'default' }, addOutputFilters: { '.txt': ['B'] } },
    expect: { addHandlers: { '.py': 'python-program', '.psp': 'mod_python' }, addTypes: { '.x': 'a/b' }, errorDocuments: { 500: '/err' }, addOutputFilters: { '.html': ['A'], '.txt': ['B'] } },
  },
  {
    name: 'RemoveHandler/RemoveType drop inherited mappings',
    parent: { addHandlers: { '.py': 'mod_python', '.cgi': 'cgi-script' }, addTypes: { '.x': 'a/b', '.y': 'c/d' } },
    child: { removeHandlers: ['.py'], addHandlers: { '.psp': 'mod_python' }, removeTypes: ['.x'] },
    expect: { addHandlers: { '.cgi': 'cgi-script', '.psp': 'mod_python' }, removeHandlers: ['.py'], addTypes: { '.y': 'c/d' }, removeTypes: ['.x'] },
  },
  {
    name: 'relative options apply to the parent, absolute ones replace it',
    parent: { options: { indexes: true, followSymLinks: true, execCGI: false } },
    child: { options: { indexes: false, execCGI: true } },
    expect: { options: { indexes: false, followSymLinks: true, execCGI: true } },
  },
  {
    name: 'configDirectory and fromLocation come from the child that has a directory',
    parent: { configDirectory: '/a/', fromLocation: false },
    child: { configDirectory: '/loc', fromLocation: true },
    expect: { configDirectory: '/loc', fromLocation: true },
  },
  { name: '…and stay when the child has none (Files)', parent: { configDirectory: '/a/', fromLocation: false }, child: { pythonDirectives: { PythonDebug: '1' } }, expect: { configDirectory: '/a/', fromLocation: false, pythonDirectives: { PythonDebug: '1' } } },
  { name: 'env overlays, null (UnsetEnv) kept to hide inherited values', parent: { env: { A: '1', B: '2' } }, child: { env: { B: null } }, expect: { env: { A: '1', B: null } } },
  {
    name: 'AllowOverride replaces Options= along with the classes',
    parent: { allowOverride: new Set(['Options']), allowOverrideOptions: ['Indexes'] },
    child: { allowOverride: new Set(['AuthConfig']) },
    expect: { allowOverride: new Set(['AuthConfig']) },
  },
];

void test('mergeDirConfig rules', () => {
  for (const c of cases) assert.deepEqual(mergeDirConfig(c.parent, c.child), c.expect, c.name);
});

void test('the merged config is frozen and a fresh object', () => {
  const parent = { pythonOptions: { a: '1' } };
  const m = mergeDirConfig(parent, {});
  assert.ok(Object.isFrozen(m));
  assert.notEqual(m, parent);
});

void test('merging keeps every DirConfig field (none forgotten by merge.ts)', () => {
  const full: Required<DirConfig> = {
    options: { indexes: true }, allowOverride: new Set(['All' as never]), setHandler: 'h', addHandlers: { '.a': 'h' }, addTypes: { '.a': 't/t' },
    forceType: 'f/t', defaultType: 'd/t', setOutputFilters: ['O'], setInputFilters: ['I'], addOutputFilters: { '.a': ['O'] }, addInputFilters: { '.a': ['I'] },
    directoryIndex: ['i'], errorDocuments: { 404: '/x' }, headers: [header('H')], requestHeaders: [header('R')], setEnvIf: [sei('S')], serverSignature: 'On', limitRequestBody: 5, acceptPathInfo: 'On',
    redirects: [{ kind: 'redirect', status: 302, from: '/a', to: '/b', source: src }], authType: 'Basic', authName: 'n', authUserFile: '/u', authGroupFile: '/g',
    require: [req('u')], pythonHandlers: { PythonHandler: [entry('h')] }, pythonDirectives: { PythonDebug: '1' }, pythonOptions: { o: '1' },
    pythonInputFilters: { F: { name: 'F', handler: 'h', directory: null, isInput: true } }, pythonOutputFilters: { G: { name: 'G', handler: 'h', directory: null, isInput: false } },
    configDirectory: '/d/', fromLocation: false, modpy: { k: 'v' }, env: { E: '1' }, addDefaultCharset: 'utf-8', logLevel: 'debug', removeHandlers: ['.z'], removeTypes: ['.z'], allowOverrideOptions: ['Indexes'],
    requireLines: [req('u')], accessCompat: req('c'), satisfyAny: false,
  };
  assert.deepEqual(Object.keys(mergeDirConfig({}, full)).sort(), Object.keys(full).sort());
  assert.deepEqual(Object.keys(mergeDirConfig(full, {})).sort(), Object.keys(full).filter((k) => k !== 'removeHandlers' && k !== 'removeTypes').sort());
});

void test('mergeFrozen memoises merges of frozen configs only', async () => {
  const { mergeFrozen } = await import('../../../src/config/merge-cache.js');
  const parent = Object.freeze({ pythonOptions: { a: '1' } });
  const child = Object.freeze({ pythonOptions: { b: '2' } });
  const first = mergeFrozen(parent, child);
  assert.equal(mergeFrozen(parent, child), first, 'same pair → same object');
  assert.deepEqual(first, mergeDirConfig(parent, child));
  const mutable: DirConfig = { pythonOptions: { c: '3' } };
  const once = mergeFrozen(parent, mutable);
  mutable.pythonOptions = { c: '4' };
  assert.deepEqual(mergeFrozen(parent, mutable).pythonOptions, { a: '1', c: '4' }, 'mutable input is merged afresh');
  assert.notEqual(mergeFrozen(parent, mutable), once);
});
