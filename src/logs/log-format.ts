/**
 * @module logs/log-format — compiles a mod_log_config LogFormat string once, at configuration
 * load, into a function from AccessEntry to one log line (without the newline). Nothing is parsed
 * per request: the format becomes an array of literal strings and small field functions.
 */
import { createError } from '../errors.js';
import type { AccessEntry } from './access-entry.js';
import { clfTime, strftime } from './apache-time.js';
import { escapeLogItem } from './log-escape.js';

type Field = (e: AccessEntry) => string;

interface Directive {
  letter: string;
  arg: string | null;
  /** '<' original request, '>' final request, null unspecified. */
  which: '<' | '>' | null;
  statuses: number[];
  negated: boolean;
}

function dash(value: string | null | undefined): string {
  return value === undefined || value === null || value === '' ? '-' : escapeLogItem(value);
}

function requestHeader(e: AccessEntry, name: string): string | undefined {
  const v = e.requestHeaders[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function responseHeader(e: AccessEntry, lowerName: string): string | undefined {
  // Apache prints the first value, except Set-Cookie whose values are all joined.
  let found: string | undefined;
  for (const [name, value] of e.responseHeaders) {
    if (name.toLowerCase() !== lowerName) continue;
    if (lowerName !== 'set-cookie') return value;
    found = found === undefined ? value : `${found}, ${value}`;
  }
  return found;
}

function cookieValue(e: AccessEntry, name: string): string | undefined {
  if (e.cookies) return e.cookies[name];
  const header = requestHeader(e, 'cookie');
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** %V: the Host the client asked for (UseCanonicalName Off), else the canonical name. */
function requestedHost(e: AccessEntry): string {
  const host = requestHeader(e, 'host');
  if (!host) return e.serverName;
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.lastIndexOf(':');
  return end > 0 ? host.slice(0, end) : host;
}

/** %{format}t: strftime, or sec/msec/usec/msec_frac/usec_frac, at begin: (default) or end:. */
function timeField(arg: string | null): Field {
  if (arg === null) return (e) => clfTime(e.startTime);
  let format = arg;
  let atEnd = false;
  if (format.startsWith('begin:')) format = format.slice(6);
  else if (format.startsWith('end:')) {
    format = format.slice(4);
    atEnd = true;
  }
  const ms = (e: AccessEntry): number => (atEnd ? e.startTime + e.durationUs / 1000 : e.startTime);
  switch (format) {
    case 'sec':
      return (e) => String(Math.floor(ms(e) / 1000));
    case 'msec':
      return (e) => String(Math.floor(ms(e)));
    case 'usec':
      return (e) => String(Math.floor(ms(e) * 1000));
    case 'msec_frac':
      return (e) => String(Math.floor(ms(e)) % 1000).padStart(3, '0');
    case 'usec_frac':
      return (e) => String(Math.floor(ms(e) * 1000) % 1_000_000).padStart(6, '0');
    case '':
      return (e) => clfTime(ms(e));
    default:
      return (e) => strftime(format, new Date(ms(e)));
  }
}

/** %{UNIT}T: seconds by default, or ms / us / s. */
function durationField(arg: string | null, format: string): Field {
  switch (arg ?? 's') {
    case 's':
      return (e) => String(Math.floor(e.durationUs / 1_000_000));
    case 'ms':
      return (e) => String(Math.floor(e.durationUs / 1000));
    case 'us':
      return (e) => String(Math.floor(e.durationUs));
    default:
      throw createError('LOG_BAD_FORMAT', format, `%{${arg}}T: the unit must be s, ms or us`);
  }
}

function needArg(d: Directive, format: string): string {
  if (d.arg === null || d.arg === '') {
    throw createError('LOG_BAD_FORMAT', format, `%${d.letter} needs a {name} argument`);
  }
  return d.arg;
}

function fieldFor(d: Directive, format: string): Field {
  switch (d.letter) {
    case 'a': // %{c}a is the connection's peer: the same address here (no mod_remoteip)
      return (e) => e.remoteAddr;
    case 'h':
      return (e) => escapeLogItem(e.remoteHost || e.remoteAddr);
    case 'A':
      return (e) => e.localAddr;
    case 'b':
      return (e) => (e.bytesSent === 0 ? '-' : String(e.bytesSent));
    case 'B':
      return (e) => String(e.bytesSent);
    case 'C': {
      const name = needArg(d, format);
      return (e) => dash(cookieValue(e, name));
    }
    case 'D':
      return (e) => String(Math.floor(e.durationUs));
    case 'e': {
      const name = needArg(d, format);
      return (e) => dash(e.env[name]);
    }
    case 'f':
      return (e) => dash(e.filename);
    case 'H':
      return (e) => escapeLogItem(e.protocol);
    case 'i': {
      const name = needArg(d, format).toLowerCase();
      return (e) => dash(requestHeader(e, name));
    }
    case 'I':
      return (e) => String(e.bytesIn);
    case 'k':
      return (e) => String(e.keepAliveCount);
    case 'l':
      return () => '-'; // identd (IdentityCheck) is not supported: Apache prints "-" without it
    case 'L':
      return (e) => dash(e.logId);
    case 'm':
      return (e) => escapeLogItem(e.method);
    case 'n': {
      const name = needArg(d, format);
      return (e) => dash(e.notes[name]);
    }
    case 'o': {
      const name = needArg(d, format).toLowerCase();
      if (name === 'content-type') {
        // Apache logs the type without its parameters (ap_field_noparam).
        return (e) => dash(responseHeader(e, name)?.split(';')[0]?.trim());
      }
      return (e) => dash(responseHeader(e, name));
    }
    case 'O':
      return (e) => String(e.bytesOut);
    case 'p':
      switch (d.arg ?? 'canonical') {
        case 'canonical':
          return (e) => String(e.canonicalPort);
        case 'local':
          return (e) => String(e.localPort);
        case 'remote':
          return (e) => String(e.remotePort);
        default:
          throw createError('LOG_BAD_FORMAT', format, `%{${d.arg}}p: use canonical, local or remote`);
      }
    case 'P':
      switch (d.arg ?? 'pid') {
        case 'pid':
          return (e) => String(e.pid);
        case 'tid':
          return (e) => String(e.tid ?? e.pid);
        case 'hextid':
          return (e) => (e.tid ?? e.pid).toString(16);
        default:
          throw createError('LOG_BAD_FORMAT', format, `%{${d.arg}}P: use pid, tid or hextid`);
      }
    case 'q':
      return (e) => (e.query === '' ? '' : escapeLogItem(e.query.startsWith('?') ? e.query : `?${e.query}`));
    case 'r':
      return (e) => escapeLogItem(e.requestLine);
    case 'R':
      return (e) => dash(e.handler);
    case 's':
      if (d.which === '>') return (e) => String(e.status);
      return (e) => String(e.originalStatus);
    case 'S':
      return (e) => String(e.bytesIn + e.bytesOut);
    case 't':
      return timeField(d.arg);
    case 'T':
      return durationField(d.arg, format);
    case 'u':
      // An empty user is printed as "" so the field stays visible (mod_log_config does the same).
      return (e) => (e.remoteUser === null ? '-' : e.remoteUser === '' ? '""' : escapeLogItem(e.remoteUser));
    case 'U':
      return (e) => escapeLogItem(e.uri);
    case 'v':
      return (e) => escapeLogItem(e.serverName);
    case 'V':
      return (e) => escapeLogItem(requestedHost(e));
    case 'X':
      return (e) => e.connectionStatus;
    default:
      throw createError('LOG_BAD_FORMAT', format, `unrecognized directive %${d.letter}`);
  }
}

/** Wraps a field so it prints "-" unless the final status is (or, negated, is not) listed. */
function withStatusCondition(field: Field, d: Directive): Field {
  if (d.statuses.length === 0) return field;
  const set = new Set(d.statuses);
  return d.negated ? (e) => (set.has(e.status) ? '-' : field(e)) : (e) => (set.has(e.status) ? field(e) : '-');
}

/** Reads "%[!][codes][<>][{arg}]X" starting after the '%'; returns the directive and the next index. */
function readDirective(format: string, start: number): [Directive, number] {
  const d: Directive = { letter: '', arg: null, which: null, statuses: [], negated: false };
  let i = start;
  let digits = '';
  for (; i < format.length; i++) {
    const c = format[i] as string;
    if (c === '!') d.negated = true;
    else if (c >= '0' && c <= '9') digits += c;
    else if (c === ',') digits += c;
    else if (c === '<' || c === '>') d.which = c;
    else if (c === '{') {
      const close = format.indexOf('}', i);
      if (close < 0) throw createError('LOG_BAD_FORMAT', format, `unterminated {…} at offset ${i}`);
      d.arg = format.slice(i + 1, close);
      i = close;
    } else {
      d.letter = c;
      i++;
      break;
    }
  }
  if (d.letter === '') throw createError('LOG_BAD_FORMAT', format, 'it ends inside a % directive');
  for (const code of digits.split(',')) {
    if (code === '') continue;
    const n = Number(code);
    if (!Number.isInteger(n) || n < 100 || n > 999) {
      throw createError('LOG_BAD_FORMAT', format, `status condition "${code}" is not a 3-digit HTTP status`);
    }
    d.statuses.push(n);
  }
  return [d, i];
}

/** mod_log_config turns \n and \t in the format into newline and tab; other backslashes stay. */
function unescapeLiteral(text: string): string {
  return text.replace(/\\([nt])/g, (_m, c: string) => (c === 'n' ? '\n' : '\t'));
}

/**
 * Compiles a LogFormat string (the common/combined strings, or any mix of mod_log_config's %
 * directives) into a line formatter. Call it once per format at configuration load.
 * @throws MPY_ERR_LOG_BAD_FORMAT naming the offending directive
 * @example compileLogFormat('%h %l %u %t "%r" %>s %b')(entry)
 */
export function compileLogFormat(format: string): (e: AccessEntry) => string {
  const parts: (string | Field)[] = [];
  let literal = '';
  for (let i = 0; i < format.length; ) {
    const c = format[i] as string;
    if (c !== '%') {
      literal += c;
      i++;
      continue;
    }
    if (format[i + 1] === '%') {
      literal += '%';
      i += 2;
      continue;
    }
    const [d, next] = readDirective(format, i + 1);
    if (literal !== '') parts.push(unescapeLiteral(literal));
    literal = '';
    parts.push(withStatusCondition(fieldFor(d, format), d));
    i = next;
  }
  if (literal !== '') parts.push(unescapeLiteral(literal));
  const n = parts.length;
  return (e) => {
    let line = '';
    for (let k = 0; k < n; k++) {
      const part = parts[k] as string | Field;
      line += typeof part === 'string' ? part : part(e);
    }
    return line;
  };
}
