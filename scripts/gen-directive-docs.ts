/**
 * @module scripts/gen-directive-docs — writes docs/directives.md from the directive table
 * (src/config/directives) and the section list (src/config/section-docs.ts).
 * test/unit/config/directive-docs.test.ts fails when the checked-in file is stale.
 *
 *   node --import tsx scripts/gen-directive-docs.ts          # regenerate
 *   node --import tsx scripts/gen-directive-docs.ts --check  # exit 1 if stale
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ALL_DIRECTIVES } from '../src/config/directives/index.js';
import type { DirectiveSpec } from '../src/config/directives/spec.js';
import { SECTION_DOCS } from '../src/config/section-docs.js';

export const REGENERATE_DIRECTIVES_COMMAND = 'node --import tsx scripts/gen-directive-docs.ts';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIRECTIVES_DOC = path.join(ROOT, 'docs', 'directives.md');

const CONTEXT_NAMES: Record<string, string> = { server: 'server config', vhost: 'virtual host', directory: 'directory', htaccess: '.htaccess' };

/** Keeps `<Section>` names literal in Markdown. */
function text(s: string): string {
  // Code spans (between backticks) are literal in Markdown: escape only outside them.
  return s
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('`');
}

function override(d: DirectiveSpec): string {
  if (!d.contexts.includes('htaccess')) return '—';
  return d.override === 'Any' ? 'any class (not None)' : (d.override ?? '—');
}

function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export function renderDirectivesDoc(): string {
  const directives = [...ALL_DIRECTIVES].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
  const out: string[] = [
    '# modpy configuration directives',
    '',
    `<!-- Generated from src/config/directives and src/config/section-docs.ts by \`${REGENERATE_DIRECTIVES_COMMAND}\`. Do not edit by hand. -->`,
    '',
    'modpy reads Apache httpd 2.4 configuration files. Every directive it understands is listed',
    'here; any other directive is an error ("Invalid command …") unless it sits inside an',
    '<IfModule> for a module modpy does not provide. Contexts: *server config* (outside any',
    'section), *virtual host*, *directory* (<Directory>, <Location>, <Files>, their *Match forms',
    'and <Limit>) and *.htaccess* (when AllowOverride grants the class under *Override*).',
    '',
    'ServerRoot: relative paths resolve against it. Without a ServerRoot directive it is the',
    'directory given with `-d`, else the parent of the configuration file\'s directory when that',
    'directory is named `conf`, else the configuration file\'s directory.',
    '',
    '## Sections',
    '',
  ];
  for (const s of SECTION_DOCS) {
    out.push(`### ${text(s.name)}`, '', `- **Description:** ${text(s.help)}`, `- **Syntax:** \`${s.syntax}\``, `- **Context:** ${s.context}`, `- **Module:** ${s.module}`);
    if (s.differs) out.push(`- **Differs from Apache:** ${text(s.differs)}`);
    out.push('');
  }
  out.push('## Directives', '', directives.map((d) => `[${d.name}](#${anchor(d.name)})`).join(' · '), '');
  for (const d of directives) {
    out.push(
      `### ${d.name}`,
      '',
      `- **Description:** ${text(d.help)}`,
      `- **Syntax:** \`${d.syntax}\``,
      `- **Default:** ${d.default === '—' ? '—' : `\`${d.default}\``}`,
      `- **Context:** ${d.contexts.map((c) => CONTEXT_NAMES[c]).join(', ')}`,
      `- **Override:** ${override(d)}`,
      `- **Module:** ${d.module}`,
    );
    if (d.note) out.push(`- **Note:** ${text(d.note)}`);
    if (d.differs) out.push(`- **Differs from Apache:** ${text(d.differs)}`);
    out.push('');
  }
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rendered = renderDirectivesDoc();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(DIRECTIVES_DOC) ? fs.readFileSync(DIRECTIVES_DOC, 'utf8') : '';
    if (current !== rendered) {
      console.error(`docs/directives.md is stale: run ${REGENERATE_DIRECTIVES_COMMAND}`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(DIRECTIVES_DOC, rendered);
  }
}
