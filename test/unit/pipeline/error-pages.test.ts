/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorPageHtml, parseErrorDocument, signatureLine } from '../../../src/pipeline/error-pages.js';
import { knownStatus, reasonPhrase } from '../../../src/pipeline/status-text.js';

describe('error pages', () => {
  it("reproduce Apache 2.4's 404 page byte for byte", () => {
    assert.equal(
      errorPageHtml(404, { method: 'GET', uri: '/x', signature: '' }),
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n',
    );
  });
  it('put error notes inside the 400 paragraph and escape them', () => {
    assert.match(errorPageHtml(400, { method: 'GET', uri: '/', notes: 'a<b', signature: '' }), /understand\.<br \/>\na&lt;b<\/p>\n/);
  });
  it('name the method in 405 and the Location in 3xx', () => {
    assert.match(errorPageHtml(405, { method: 'PUT', uri: '/', signature: '' }), /The requested method PUT is not allowed/);
    assert.match(errorPageHtml(301, { method: 'GET', uri: '/', location: 'http://h/a"b', signature: '' }), /<a href="http:\/\/h\/a&quot;b">here<\/a>/);
  });
  it('append the ServerSignature line and the "Additionally" paragraph', () => {
    const sig = signatureLine('On', 'Apache', 'h', 80);
    assert.equal(sig, '<address>Apache Server at h Port 80</address>\n');
    assert.equal(signatureLine('Off', 'Apache', 'h', 80), '');
    const page = errorPageHtml(404, { method: 'GET', uri: '/', signature: sig, recursiveStatus: 500 });
    assert.match(page, /<p>Additionally, a 500 Internal Server Error\nerror was encountered/);
    assert.match(page, /<hr>\n<address>Apache Server at h Port 80<\/address>\n<\/body><\/html>\n$/);
  });
  it("use Apache's reason phrases and send unknown statuses as 500", () => {
    assert.equal(reasonPhrase(413), 'Request Entity Too Large');
    assert.equal(reasonPhrase(414), 'Request-URI Too Long');
    assert.equal(knownStatus(418), 500);
  });
  it('parse ErrorDocument targets', () => {
    assert.deepEqual(parseErrorDocument('/err.html'), { kind: 'local', uri: '/err.html' });
    assert.deepEqual(parseErrorDocument('https://x/e'), { kind: 'external', url: 'https://x/e' });
    assert.deepEqual(parseErrorDocument('"Oops'), { kind: 'text', text: 'Oops' });
    assert.deepEqual(parseErrorDocument('"Oops"'), { kind: 'text', text: 'Oops' });
  });
});
