/**
 * @module compat/run — the differential suite: every case against Apache 2.4 + mod_python 3.5 and
 * modpy. `npm run test:compat [-- --write-doc]`; MODPY_COMPAT_FILTER=regex runs a subset,
 * MODPY_COMPAT_APACHE_ONLY=1 checks the cases against Apache alone, MODPY_COMPAT_VERBOSE=1 prints
 * what Apache answered, MODPY_COMPAT_KEEP=1 keeps the temp sites. Exit 1 when a case fails,
 * 2 when the reference Apache is missing.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GROUPS } from './cases/index.js';
import { renderDoc } from './lib/doc.js';
import { runGroup, type CaseResult } from './lib/runner.js';
import { checkApacheInstalled, checkModpyBuilt } from './lib/servers.js';

const REPO = resolve(import.meta.dirname, '..', '..');

function print(r: CaseResult, verbose: boolean): void {
  const id = `${r.area}/${r.name}`;
  if (r.outcome === 'ok') console.log(`ok ${id}${r.differs ? ' (deliberately different)' : ''}`);
  else if (r.outcome === 'skip') console.log(`skip ${id}: ${r.detail.join('; ')}`);
  else {
    console.log(`FAIL ${id}`);
    for (const d of r.detail.slice(0, 8)) console.log(`    ${d}`);
  }
  if (verbose) for (const s of r.seen) console.log(`    apache: ${s}`);
}

export async function runCompat(argv: string[]): Promise<number> {
  const writeDoc = argv.includes('--write-doc');
  const env = process.env;
  const filterText = env['MODPY_COMPAT_FILTER'];
  const opts = {
    apacheOnly: env['MODPY_COMPAT_APACHE_ONLY'] === '1',
    verbose: env['MODPY_COMPAT_VERBOSE'] === '1',
    keep: env['MODPY_COMPAT_KEEP'] === '1',
    ...(filterText ? { filter: new RegExp(filterText) } : {}),
  };
  try {
    await checkApacheInstalled();
    if (!opts.apacheOnly) await checkModpyBuilt();
  } catch (e) {
    console.error(`test:compat cannot run: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const names = new Set<string>();
  for (const g of GROUPS) for (const c of g.cases) {
    if (names.has(c.name)) throw new Error(`duplicate compat case name ${c.name}`);
    names.add(c.name);
  }
  const results: CaseResult[] = [];
  const started = Date.now();
  for (const group of GROUPS) {
    try {
      await runGroup(group, opts, (r) => {
        results.push(r);
        print(r, opts.verbose);
      });
    } catch (e) {
      // A group whose reference server cannot start fails every case in it, loudly.
      const msg = e instanceof Error ? e.message : String(e);
      for (const c of group.cases.filter((c) => !opts.filter || opts.filter.test(`${c.area}/${c.name}`))) {
        const r: CaseResult = { name: c.name, area: c.area, outcome: 'fail', detail: [msg.split('\n').slice(0, 6).join(' / ')], seen: [] };
        results.push(r);
        print(r, false);
      }
    }
  }
  const passed = results.filter((r) => r.outcome === 'ok').length;
  const failed = results.filter((r) => r.outcome === 'fail').length;
  const skipped = results.filter((r) => r.outcome === 'skip').length;
  console.error(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (writeDoc) {
    const path = join(REPO, 'docs', 'compat.md');
    await writeFile(path, renderDoc(results, new Date(), opts.apacheOnly));
    console.error(`wrote ${path}`);
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('compat/run.ts')) {
  runCompat(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    },
  );
}
