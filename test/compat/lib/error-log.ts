/**
 * @module compat/lib/error-log — what a handler wrote to the error log: the lines containing a
 * case's token, reduced to "level: message" (timestamps, module, pid and client address removed).
 */
import { open, stat } from 'node:fs/promises';

export async function logSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

export async function readFrom(file: string, offset: number): Promise<string> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = (await fh.stat()).size;
    if (size <= offset) return '';
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

// "[Wed Nov 25 00:39:59.949 2026] [python:error] [pid 7851:tid 7851] [client 127.0.0.1:35258] msg"
const LINE = /^\[[^\]]+\] \[([^\]:]*):([a-z0-9]+)\](?: \[pid [^\]]*\])?(?: \[client [^\]]*\])?(?: \[remote [^\]]*\])? ?(.*)$/;

/** "level: message" for every line mentioning `token`, in order. */
export function tokenLines(text: string, token: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(token)) continue;
    const m = LINE.exec(line);
    out.push(m ? `${m[2]}: ${m[3]}` : `?: ${line}`);
  }
  return out;
}
