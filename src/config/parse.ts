/**
 * @module config/parse — configuration text → ConfigNode tree, applying what httpd applies
 * while reading (EXEC_ON_READ): Include/IncludeOptional, Define/UnDefine and `${VAR}`,
 * <IfModule>, <IfDefine>, <IfVersion>, and LoadModule bookkeeping. Sections are checked for
 * nesting here; directive names and arguments are checked later by the directive table.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { configError } from '../errors.js';
import type { ConfigNode, SourceRef } from './types.js';
import { logicalLines, splitWords, type LogicalLine } from './lexer.js';
import { expandInclude } from './include.js';
import { isBuiltinModule, isMpmModule } from './modules.js';
import { conditionHolds, isConditional } from './conditions.js';
import { osReason } from './os-reason.js';

/** httpd's AP_MAX_INCLUDE_DEPTH. */
const MAX_INCLUDE_DEPTH = 128;

/** Mutable state shared by every file of one load (httpd keeps it in the process). */
export interface ParseState {
  serverRoot: string;
  /** Names for <IfDefine>: -D names and every Define. */
  defines: Set<string>;
  /** Values for `${NAME}`: only `Define NAME value` sets one (a bare Define does not). */
  vars: Map<string, string>;
  modules: Set<string>;
  warnings: string[];
  files: string[];
  env: Readonly<Record<string, string | undefined>>;
  includeDepth: number;
  /** .htaccess: Include, Define and LoadModule are not allowed. */
  htaccess?: boolean;
}

/** Parses one configuration file (recording it in state.files). */
export async function parseFile(file: string, state: ParseState, ref?: SourceRef): Promise<ConfigNode[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw configError('CONFIG_INCLUDE', ref?.file ?? file, ref?.line ?? 0, `Could not open configuration file ${file}: ${osReason(err)}`);
  }
  state.files.push(file);
  return parseText(text, file, state);
}

/** Parses configuration text named `file` (for messages). */
export async function parseText(text: string, file: string, state: ParseState): Promise<ConfigNode[]> {
  const reader = new LineReader(logicalLines(text), file);
  const nodes = await parseBlock(reader, state, null);
  return nodes;
}

class LineReader {
  #i = 0;
  constructor(
    readonly lines: LogicalLine[],
    readonly file: string,
  ) {}
  next(): LogicalLine | undefined {
    return this.lines[this.#i++];
  }
}

interface OpenSection {
  name: string;
  source: SourceRef;
}

async function parseBlock(reader: LineReader, state: ParseState, open: OpenSection | null): Promise<ConfigNode[]> {
  const nodes: ConfigNode[] = [];
  for (let ll = reader.next(); ll; ll = reader.next()) {
    const source = { file: reader.file, line: ll.line };
    const text = substituteVars(ll.text, state);
    if (text.startsWith('</')) {
      const name = closingName(text);
      if (!open) throw configError('CONFIG_SYNTAX', source.file, source.line, `</${name}> without matching <${name}> section`);
      if (name.toLowerCase() !== open.name.toLowerCase()) {
        throw configError('CONFIG_SYNTAX', source.file, source.line, `Expected </${open.name}> but saw </${name}>`);
      }
      return nodes;
    }
    if (text.startsWith('<')) {
      const { name, args } = openingTag(text, source);
      nodes.push(...(await parseSection(reader, state, name, args, source)));
      continue;
    }
    const words = splitWords(text);
    const name = words[0] as string;
    const args = words.slice(1);
    const handled = await preprocessDirective(name, args, source, state);
    if (handled) nodes.push(...handled.nodes);
    else nodes.push({ name, args, source });
  }
  if (open) throw configError('CONFIG_SYNTAX', open.source.file, open.source.line, `${open.source.file}:${open.source.line}: <${open.name}> was not closed.`);
  return nodes;
}

function closingName(text: string): string {
  return text.slice(2).replace(/>\s*$/, '').trim();
}

function openingTag(text: string, source: SourceRef): { name: string; args: string[] } {
  const m = /^<([^\s>]+)/.exec(text);
  const name = m ? (m[1] as string) : '';
  if (!text.endsWith('>')) throw configError('CONFIG_SYNTAX', source.file, source.line, `<${name}> directive missing closing '>'`);
  return { name, args: splitWords(text.slice(1 + name.length, -1)) };
}

async function parseSection(reader: LineReader, state: ParseState, name: string, args: string[], source: SourceRef): Promise<ConfigNode[]> {
  const lower = name.toLowerCase();
  if (!isConditional(lower)) {
    const children = await parseBlock(reader, state, { name, source });
    return [{ name, args, source, children }];
  }
  if (args.length === 0) throw configError('CONFIG_SYNTAX', source.file, source.line, `<${name}> directive requires additional arguments`);
  if (await conditionHolds(lower, args, source, state)) return parseBlock(reader, state, { name, source });
  soakSection(reader, name, source);
  return [];
}

/** Skips a false conditional section up to its end tag, counting same-name nesting like
 *  httpd's ap_soak_end_container (other content is not checked). */
function soakSection(reader: LineReader, name: string, source: SourceRef): void {
  let depth = 0;
  const lower = name.toLowerCase();
  for (let ll = reader.next(); ll; ll = reader.next()) {
    const t = ll.text;
    if (t.startsWith('</')) {
      if (closingName(t).toLowerCase() === lower) {
        if (depth === 0) return;
        depth--;
      }
    } else if (t.startsWith('<')) {
      const m = /^<([^\s>]+)/.exec(t);
      if (m && (m[1] as string).toLowerCase() === lower) depth++;
    }
  }
  throw configError('CONFIG_SYNTAX', source.file, source.line, `Expected </${name}> before end of configuration`);
}

/** Directives httpd runs while reading. Returns null for ordinary directives. */
async function preprocessDirective(name: string, args: string[], source: SourceRef, state: ParseState): Promise<{ nodes: ConfigNode[] } | null> {
  const lower = name.toLowerCase();
  switch (lower) {
    case 'include':
    case 'includeoptional':
      if (state.htaccess) return null; // the directive table rejects it with "not allowed here"
      return { nodes: await include(name, args, source, state, lower === 'includeoptional') };
    case 'define':
      if (state.htaccess) return null;
      if (args.length < 1 || args.length > 2) {
        throw configError('CONFIG_SYNTAX', source.file, source.line, 'Define takes 1-2 arguments, Define a variable, optionally to a value.  Same as passing -D to the command line.');
      }
      if ((args[0] as string).includes(':')) throw configError('CONFIG_SYNTAX', source.file, source.line, 'Variable name must not contain \':\'');
      state.defines.add(args[0] as string);
      if (args.length === 2) state.vars.set(args[0] as string, args[1] as string);
      else state.vars.delete(args[0] as string);
      return { nodes: [] };
    case 'undefine':
      if (state.htaccess) return null;
      if (args.length !== 1) throw configError('CONFIG_SYNTAX', source.file, source.line, 'UnDefine takes one argument, Undefine the existence of a variable. Undo a Define.');
      state.defines.delete(args[0] as string);
      state.vars.delete(args[0] as string);
      return { nodes: [] };
    case 'serverroot':
      if (args.length === 1) state.serverRoot = resolve(args[0] as string);
      return null;
    case 'loadmodule':
      if (args.length === 2) loadModule(args[0] as string, args[1] as string, state);
      return null;
    default:
      return null;
  }
}

function loadModule(id: string, file: string, state: ParseState): void {
  if (isBuiltinModule(id)) return;
  if (isMpmModule(id)) {
    state.modules.add(id);
    return;
  }
  state.warnings.push(`LoadModule ${id} (${file}): modpy does not implement this module; it stays absent for <IfModule> and its directives are rejected`);
}

async function include(name: string, args: string[], source: SourceRef, state: ParseState, optional: boolean): Promise<ConfigNode[]> {
  if (args.length !== 1) {
    throw configError('CONFIG_SYNTAX', source.file, source.line, `${name} takes one argument, Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file`);
  }
  if (state.includeDepth >= MAX_INCLUDE_DEPTH) {
    throw configError('CONFIG_INCLUDE', source.file, source.line, `Exceeded maximum include depth of ${MAX_INCLUDE_DEPTH}, There appears to be a recursion.`);
  }
  const pattern = isAbsolute(args[0] as string) ? (args[0] as string) : resolve(state.serverRoot, args[0] as string);
  const files = await expandInclude(pattern, optional, source);
  const nodes: ConfigNode[] = [];
  state.includeDepth++;
  try {
    for (const f of files) nodes.push(...(await parseFile(f, state, source)));
  } finally {
    state.includeDepth--;
  }
  return nodes;
}

/** `${NAME}`: a Define'd value first, then the process environment; otherwise httpd warns
 *  (AH00111) and leaves the text as written. */
export function substituteVars(text: string, state: ParseState): string {
  if (!text.includes('${')) return text;
  return text.replace(/\$\{([A-Za-z0-9_.-]+)\}/g, (whole, name: string) => {
    const defined = state.vars.get(name);
    if (defined !== undefined) return defined;
    const env = state.env[name];
    if (env !== undefined) return env;
    const warning = `AH00111: Config variable \${${name}} is not defined`;
    if (!state.warnings.includes(warning)) state.warnings.push(warning);
    return whole;
  });
}
