import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HEAD_FIELDS } from '../../../src/ipc/messages.js';

const PYTHON = fileURLToPath(new URL('../../../python/mod_python/_worker/wire_head.py', import.meta.url));

/** The names in wire_head.py's `HEAD_FIELDS = ( … )`, read from the file as Python will. */
function pythonHeadFields(): string[] {
  const match = /^HEAD_FIELDS = \(([^)]*)\)/m.exec(readFileSync(PYTHON, 'utf8'));
  assert.ok(match, 'wire_head.py defines HEAD_FIELDS as a tuple literal');
  const items = match[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.map((item) => {
    const name = /^"([a-z_0-9]+)"$/.exec(item);
    assert.ok(name, `a plain string in HEAD_FIELDS: ${item}`);
    return name[1]!;
  });
}

void test("request.begin's head: the server and the worker name the same fields in the same order", () => {
  assert.deepEqual(pythonHeadFields(), [...HEAD_FIELDS]);
});
