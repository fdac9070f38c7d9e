/**
 * @module scripts/gen-error-docs — writes docs/errors.md (from ERRORS in src/errors.ts) and
 * docs/log-messages.md (from MESSAGES in src/logs/messages.ts). test/unit/errors.test.ts fails
 * when the checked-in docs differ from what this renders.
 *
 *   node --import tsx scripts/gen-error-docs.ts          # regenerate both files
 *   node --import tsx scripts/gen-error-docs.ts --check  # exit 1 if either is stale
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ERRORS } from '../src/errors.js';
import { LEVEL_NAMES } from '../src/logs/log-level.js';
import { MESSAGES } from '../src/logs/messages.js';

export const REGENERATE_COMMAND = 'node --import tsx scripts/gen-error-docs.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ERRORS_DOC = path.join(ROOT, 'docs', 'errors.md');
export const MESSAGES_DOC = path.join(ROOT, 'docs', 'log-messages.md');

/** Makes text safe inside a Markdown table cell (pipes, newlines, and <Section> names as text). */
function cell(text: string | number): string {
  return String(text)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n/g, ' ');
}

export function renderErrorsDoc(): string {
  const rows = Object.values(ERRORS).map((e) => `| \`${e.code}\` | ${e.status} | ${cell(e.message)} | ${cell(e.cause)} | ${cell(e.fix)} |`);
  return [
    '# modpy error codes',
    '',
    `<!-- Generated from src/errors.ts by \`${REGENERATE_COMMAND}\`. Do not edit by hand. -->`,
    '',
    'Every error modpy raises on purpose carries one of these codes (`err.code`). Configuration',
    'errors are reported with file and line, in the shape of `httpd -t`. `%s` in a message stands',
    'for the details filled in at run time. The status is the HTTP status when the error ends a',
    'request.',
    '',
    '| Code | Status | Message | Cause | Fix |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

const LADDER: Record<string, string> = {
  emerg: 'modpy cannot run (it exits).',
  alert: 'Immediate action needed.',
  crit: 'A critical condition; part of the service is down.',
  error: 'A request or a worker failed; the server carries on.',
  warn: 'Something degraded (overload, slow shutdown) but was handled.',
  notice: 'Normal but significant: start, stop, reload, which Python runs.',
  info: 'Routine events of the worker lifecycle.',
  debug: 'Detail for troubleshooting.',
};

export function renderLogMessagesDoc(): string {
  const ladder = LEVEL_NAMES.slice(0, 8).map((name, i) => `| ${i} | \`${name}\` | ${LADDER[name] ?? ''} |`);
  const sections = Object.entries(MESSAGES).map(([name, d]) =>
    [
      `## ${d.id} ${name}`,
      '',
      `| | |`,
      `|---|---|`,
      `| Severity | \`${d.severity}\` |`,
      `| Source | \`modpy\` |`,
      `| Message | ${cell(d.message)} |`,
      `| Cause | ${cell(d.cause)} |`,
      `| Outcome | ${cell(d.outcome)} |`,
      `| Operator action | ${cell(d.action)} |`,
      '',
    ].join('\n'),
  );
  return [
    '# modpy log messages',
    '',
    `<!-- Generated from src/logs/messages.ts by \`${REGENERATE_COMMAND}\`. Do not edit by hand. -->`,
    '',
    "modpy's own operational messages carry a stable id where Apache puts its `AH` numbers:",
    '',
    '```',
    '[Wed Nov 25 00:41:02.123456 2026] [modpy:error] [pid 1234:tid 1234] MPY0013: worker 4242 for interpreter "main" was killed by signal SIGSEGV while serving GET /x',
    '```',
    '',
    'Ids are never renumbered or reused. `{name}` in a message is filled in at run time. Filter',
    'them with `LogLevel` like any module, e.g. `LogLevel warn modpy:info`.',
    '',
    '## Severity ladder',
    '',
    '| APLOG | Level | Meaning |',
    '|---|---|---|',
    ...ladder,
    '',
    ...sections,
  ].join('\n');
}

/** Which generated files differ from their checked-in copies (absolute paths). */
export function staleDocs(): string[] {
  const stale: string[] = [];
  for (const [file, render] of [
    [ERRORS_DOC, renderErrorsDoc],
    [MESSAGES_DOC, renderLogMessagesDoc],
  ] as const) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== render()) stale.push(file);
  }
  return stale;
}

function main(argv: string[]): number {
  if (argv.includes('--check')) {
    const stale = staleDocs();
    for (const f of stale) process.stderr.write(`${path.relative(ROOT, f)} is out of date: run ${REGENERATE_COMMAND}\n`);
    return stale.length === 0 ? 0 : 1;
  }
  fs.mkdirSync(path.dirname(ERRORS_DOC), { recursive: true });
  fs.writeFileSync(ERRORS_DOC, renderErrorsDoc());
  fs.writeFileSync(MESSAGES_DOC, renderLogMessagesDoc());
  process.stdout.write(`wrote ${path.relative(ROOT, ERRORS_DOC)} and ${path.relative(ROOT, MESSAGES_DOC)}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
