/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/** `modpy -v`: "Server built:" comes from the running code's file time, not a constant. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverBuilt, versionText } from '../../../src/cli/version.js';

describe('Server built', () => {
  it('is the modification time of the first file that exists, in httpd shape (UTC)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modpy-version-'));
    try {
      const file = join(dir, 'version.js');
      writeFileSync(file, '');
      const when = new Date(Date.UTC(2021, 2, 4, 5, 6, 7));
      utimesSync(file, when, when);
      assert.equal(serverBuilt([join(dir, 'missing.js'), file]), '2021-03-04T05:06:07');
      assert.equal(serverBuilt([join(dir, 'missing.js')]), 'unknown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('versionText reports the running module file time', () => {
    const source = fileURLToPath(new URL('../../../src/cli/version.ts', import.meta.url));
    const expected = statSync(source).mtime.toISOString().slice(0, 19);
    assert.match(versionText(), new RegExp(`^Server version: .*\\nServer built:   ${expected}\\n$`));
  });
});
