import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DIRECTIVES_DOC, REGENERATE_DIRECTIVES_COMMAND, renderDirectivesDoc } from '../../../scripts/gen-directive-docs.js';
import { ALL_DIRECTIVES } from '../../../src/config/directives/index.js';

void test(`docs/directives.md is up to date (regenerate: ${REGENERATE_DIRECTIVES_COMMAND})`, () => {
  assert.equal(fs.readFileSync(DIRECTIVES_DOC, 'utf8'), renderDirectivesDoc());
});

void test('every directive record is complete: syntax, help, contexts, and an override class when .htaccess may use it', () => {
  for (const d of ALL_DIRECTIVES) {
    assert.ok(d.syntax.startsWith(d.name), `${d.name}: syntax starts with the name`);
    assert.ok(d.help.length > 0 && d.default.length > 0, `${d.name}: help and default`);
    assert.ok(d.contexts.length > 0, `${d.name}: contexts`);
    assert.equal(d.contexts.includes('htaccess'), d.override !== undefined, `${d.name}: override class iff allowed in .htaccess`);
  }
});
