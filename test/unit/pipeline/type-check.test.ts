/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirConfig } from '../../../src/config/types.js';
import { addHandlerExts, DIR_MAGIC_TYPE, fileExtensions, inputFilterNames, isPythonHandler, mimeType, outputFilterNames, overrideType } from '../../../src/pipeline/type-check.js';

/** The type step then the fixup override, as a request without Python type handlers sees them. */
function checkType(dir: DirConfig, mimeTypes: ReadonlyMap<string, string>, filename: string | null, isDirectory: boolean) {
  const m = mimeType(dir, mimeTypes, filename, isDirectory);
  const o = overrideType(dir);
  return { contentType: o.contentType ?? m.contentType, handler: o.handler ?? m.handler };
}

const mime = new Map([
  ['.html', 'text/html'],
  ['.gz', 'application/gzip'],
]);

describe('type checking (mod_mime)', () => {
  it('sees every extension after the first dot', () => assert.deepEqual(fileExtensions('/d/a.tar.GZ'), ['.tar', '.gz']));
  it('takes the TypesConfig type, AddType over it, ForceType over both', () => {
    assert.equal(checkType({}, mime, '/d/a.html', false).contentType, 'text/html');
    assert.equal(checkType({ addTypes: { '.html': 'text/x-mine' } }, mime, '/d/a.html', false).contentType, 'text/x-mine');
    assert.equal(checkType({ forceType: 'text/plain', addTypes: { '.html': 'x/y' } }, mime, '/d/a.html', false).contentType, 'text/plain');
  });
  it('uses DefaultType only when nothing else matched, and never "none"', () => {
    assert.equal(checkType({ defaultType: 'text/plain' }, mime, '/d/a.zzz', false).contentType, 'text/plain');
    assert.equal(checkType({ defaultType: 'none' }, mime, '/d/a.zzz', false).contentType, null);
  });
  it('picks the handler from AddHandler, SetHandler over it, and marks directories', () => {
    assert.equal(checkType({ addHandlers: { '.py': 'mod_python' } }, mime, '/d/x.py', false).handler, 'mod_python');
    assert.equal(checkType({ addHandlers: { '.py': 'mod_python' }, setHandler: 'other' }, mime, '/d/x.py', false).handler, 'other');
    assert.deepEqual(checkType({}, mime, '/d/', true), { contentType: DIR_MAGIC_TYPE, handler: DIR_MAGIC_TYPE });
  });
  it('collects output filters from SetOutputFilter then AddOutputFilter', () => {
    assert.deepEqual(outputFilterNames({ setOutputFilters: ['A'], addOutputFilters: { '.txt': ['B'] } }, '/d/x.txt'), ['A', 'B']);
    assert.deepEqual(outputFilterNames({ setOutputFilters: ['A'], addOutputFilters: { '.gz': ['C'], '.txt': ['B'] } }, '/d/x.txt.gz'), ['A', 'B', 'C']);
    assert.deepEqual(inputFilterNames({ addInputFilters: { '.txt': ['I'] } }, '/d/x.txt'), ['I']);
  });
  it('allocates no filter list when no extension adds to the configured one', () => {
    const set = Object.freeze(['A']);
    assert.equal(outputFilterNames({ setOutputFilters: set, addOutputFilters: { '.gz': ['C'] } }, '/d/x.txt'), set);
    assert.equal(outputFilterNames({ setOutputFilters: set }, null), set);
    const none = inputFilterNames({}, '/d/x.txt');
    assert.deepEqual(none, []);
    assert.equal(inputFilterNames({}, '/d/y.txt'), none, 'one shared empty list');
  });
  it('knows mod_python by both its handler names, in any case', () => {
    for (const h of ['mod_python', 'MOD_PYTHON', 'python-program', 'Python-Program']) assert.equal(isPythonHandler(h), true, h);
    for (const h of [null, 'default-handler', 'mod_python2', '']) assert.equal(isPythonHandler(h), false, String(h));
    assert.equal(addHandlerExts({ addHandlers: { '.py': 'mod_python', '.psp': 'Python-Program', '.cgi': 'cgi-script' } }), 'py psp');
  });
  it('splits a file name into lower-cased extensions', () => {
    assert.deepEqual(fileExtensions('/d/page.en.HTML'), ['.en', '.html']);
    assert.deepEqual(fileExtensions('/d/other.txt'), ['.txt']);
  });
});
