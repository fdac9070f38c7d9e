/**
 * Helpers for the config unit tests: load text as a virtual file and assert on ConfigErrors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import { loadConfigFromText } from '../../../src/config/load.js';
import type { LoadedConfig } from '../../../src/config/types.js';

export const VIRTUAL = '/virtual/site.conf';

/** Loads text; a ServerName is prepended unless the text has one, to keep warnings quiet. */
export function load(text: string, defines?: string[], serverRoot = '/virtual'): Promise<LoadedConfig> {
  const prefix = /^\s*ServerName\s/im.test(text) ? '' : 'ServerName test.local\n';
  return loadConfigFromText(prefix + text, { virtualFile: VIRTUAL, serverRoot, ...(defines ? { defines } : {}) });
}

/** Loads text as written (no ServerName added). */
export function loadRaw(text: string, defines?: string[], serverRoot = '/virtual'): Promise<LoadedConfig> {
  return loadConfigFromText(text, { virtualFile: VIRTUAL, serverRoot, ...(defines ? { defines } : {}) });
}

/** Asserts that loading `text` fails with `message` on `line` (of the text as given). */
export async function assertConfigError(text: string, expected: { line: number; message: string | RegExp; code?: string; file?: string }): Promise<void> {
  await assert.rejects(loadRaw(`ServerName test.local\n${text}`), (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    if (typeof expected.message === 'string') assert.equal(err.message, expected.message);
    else assert.match(err.message, expected.message);
    assert.equal(err.line, expected.line + 1, `line of: ${err.message}`);
    assert.equal(err.file, expected.file ?? VIRTUAL);
    if (expected.code) assert.equal(err.code, expected.code);
    return true;
  });
}

/** Creates a temporary directory tree: { "conf/a.conf": "text", "dir/": null }. */
export function tree(files: Record<string, string | null>): string {
  const root = mkdtempSync(join(tmpdir(), 'modpy-config-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, rel);
    if (content === null) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
  return root;
}
