/**
 * @module scripts/gen-compat-doc — regenerates docs/compat.md from a full differential run
 * (same as `npm run test:compat -- --write-doc`). Run: node --import tsx scripts/gen-compat-doc.ts
 */
import { runCompat } from '../test/compat/run.js';

runCompat(['--write-doc']).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
