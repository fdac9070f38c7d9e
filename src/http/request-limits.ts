/**
 * @module http/request-limits — LimitRequestLine / LimitRequestFieldSize / LimitRequestFields
 * checked the way Apache does (414 for the line, 400 with a note for the fields), and the Node
 * parser sizes derived from them at load.
 */
import type { IncomingMessage } from 'node:http';

export interface RequestLimits {
  line: number;
  fieldSize: number;
  fields: number;
}

export interface LimitViolation {
  status: 400 | 414;
  /** Text for the 400 page's error notes. */
  notes: string;
  log: string;
  aplogno: string;
}

interface ParserSizes {
  maxHeaderSize: number;
  maxHeadersCount: number;
}

/** Node's parser must accept at least what Apache would, so our own checks can answer. */
export function nodeParserSizes(l: RequestLimits): ParserSizes {
  return { maxHeaderSize: l.line + 2 + (l.fields + 1) * (l.fieldSize + 2) + 2, maxHeadersCount: l.fields + 1 };
}

/** Apache's answer to a request line over LimitRequestLine (AH00565). */
function lineTooLong(l: RequestLimits): LimitViolation {
  return { status: 414, notes: '', log: `request failed: client's request-line exceeds LimitRequestLine (longer than ${l.line})`, aplogno: 'AH00565' };
}

/** Apache's answer to a header field over LimitRequestFieldSize (AH00561); it names the field
 *  when it knows it. */
function fieldTooLarge(name: string | null): LimitViolation {
  return {
    status: 400,
    notes: 'Size of a request header field exceeds server limit.',
    log: `Request header exceeds LimitRequestFieldSize${name === null ? '' : `: ${name}`}`,
    aplogno: 'AH00561',
  };
}

export function checkRequestLimits(req: IncomingMessage, l: RequestLimits): LimitViolation | null {
  const lineLength = (req.method?.length ?? 0) + 1 + (req.url?.length ?? 0) + 9;
  if (lineLength > l.line) return lineTooLong(l);
  const raw = req.rawHeaders;
  if (raw.length / 2 > l.fields) {
    return {
      status: 400,
      notes: "The number of request header fields exceeds this server's limit.",
      log: 'Number of request headers exceeds LimitRequestFields',
      aplogno: 'AH00563',
    };
  }
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length + 2 + (raw[i + 1] as string).length > l.fieldSize) return fieldTooLarge(name);
  }
  return null;
}

/** For a parser overflow: was it the request line (414) or the header fields (400)? */
function overflowKind(rawPacket: Buffer | undefined, l: RequestLimits): 414 | 400 {
  if (!rawPacket) return 400;
  const eol = rawPacket.indexOf('\r\n');
  const lineLen = eol < 0 ? rawPacket.length : eol;
  return lineLen > l.line ? 414 : 400;
}

/** The violation a parser overflow stands for (Node stopped before our own checks could name
 *  the field). */
export function overflowViolation(rawPacket: Buffer | undefined, l: RequestLimits): LimitViolation {
  return overflowKind(rawPacket, l) === 414 ? lineTooLong(l) : fieldTooLarge(null);
}
