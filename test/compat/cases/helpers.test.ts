/** Unit tests for compat/cases/helpers and the case table: names, modules, Python text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GROUPS } from './index.js';
import { dedent, moduleName, py } from './helpers.js';

void test('dedent removes the common indentation and the surrounding blank lines', () => {
  assert.equal(dedent('\n    a\n      b\n    c\n  '), 'a\n  b\nc\n');
});

void test('a py() case gets a module named after it, in its own <Directory>', () => {
  const c = py('my-case', 'phases', 'def handler(req):\n    return apache.OK\n', [{ path: '@/x' }]);
  assert.equal(moduleName('my-case'), 'c_my_case');
  assert.match(c.conf ?? '', /<Directory \$\{CASE\}>[\s\S]*PythonHandler c_my_case/);
  assert.match(c.files?.['c_my_case.py'] ?? '', /^from mod_python import apache\ndef handler/);
});

void test('every case has a unique kebab-case name, requests, and a reason when it differs or skips', () => {
  const names = new Set<string>();
  let count = 0;
  for (const g of GROUPS) {
    for (const c of g.cases) {
      count++;
      assert.match(c.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, c.name);
      assert.ok(!names.has(c.name), `duplicate ${c.name}`);
      names.add(c.name);
      assert.ok(c.requests.length > 0, `${c.name} sends nothing`);
      if (typeof c.expect === 'object') {
        assert.ok(c.expect.differs.length > 20, `${c.name} must say why it differs`);
        assert.ok(Object.keys(c.expect.modpy).length > 0, `${c.name} must say what modpy does`);
      }
      if (c.skip !== undefined) assert.ok(c.skip.length > 10, `${c.name} must say why it is skipped`);
    }
  }
  assert.ok(count >= 150, `only ${count} cases`);
});
