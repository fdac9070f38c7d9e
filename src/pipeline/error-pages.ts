/**
 * @module pipeline/error-pages — the HTML Apache 2.4 sends for an error status (same doctype,
 * title, canned sentence, optional ServerSignature line) and the parsing of ErrorDocument values.
 */
import { cannedText, reasonPhrase, TAKES_NOTES } from './status-text.js';

/** The Content-Type of Apache's canned error pages (they are Latin-1 HTML). */
export const ERROR_CONTENT_TYPE = 'text/html; charset=iso-8859-1';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

export interface ErrorPageContext {
  method: string;
  uri: string;
  /** Location header for 3xx pages. */
  location?: string | null;
  /** "[no address given]" when unset, as Apache prints it. */
  serverAdmin?: string;
  /** Text added inside the 400/411/414/501/502 paragraph (Apache's error-notes). */
  notes?: string;
  /** The full `<address>…</address>` line, or "" with ServerSignature Off. */
  signature: string;
  /** A second error while handling an ErrorDocument (Apache's "Additionally, …" paragraph). */
  recursiveStatus?: number;
}

/** The ServerSignature line: "<address>BANNER Server at NAME Port N</address>\n". */
export function signatureLine(mode: 'On' | 'Off' | 'EMail' | undefined, banner: string, serverName: string, port: number, admin?: string): string {
  if (mode !== 'On' && mode !== 'EMail') return '';
  const name = mode === 'EMail' && admin ? `<a href="mailto:${escapeHtml(admin)}">${escapeHtml(serverName)}</a>` : escapeHtml(serverName);
  return `<address>${escapeHtml(banner)} Server at ${name} Port ${port}</address>\n`;
}

export function errorPageHtml(status: number, ctx: ErrorPageContext): string {
  const reason = reasonPhrase(status);
  let body = cannedText(status, {
    method: escapeHtml(ctx.method),
    uri: escapeHtml(ctx.uri),
    location: ctx.location == null ? null : escapeHtml(ctx.location),
    serverAdmin: ctx.serverAdmin ?? '[no address given]',
  });
  if (TAKES_NOTES.has(status)) body += `${ctx.notes ? escapeHtml(ctx.notes) : ''}</p>\n`;
  if (ctx.recursiveStatus) {
    body +=
      `<p>Additionally, a ${ctx.recursiveStatus} ${reasonPhrase(ctx.recursiveStatus)}\n` +
      'error was encountered while trying to use an ErrorDocument to handle the request.</p>\n';
  }
  return (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n' +
    `<html><head>\n<title>${status} ${reason}</title>\n</head><body>\n<h1>${reason}</h1>\n` +
    body +
    (ctx.signature ? `<hr>\n${ctx.signature}` : '') +
    '</body></html>\n'
  );
}

export type ErrorDocumentTarget =
  | { kind: 'local'; uri: string }
  | { kind: 'external'; url: string }
  | { kind: 'text'; text: string };

/** ErrorDocument value: "/local/uri" → internal redirect, "http(s)://…" → 302, anything else
 *  (Apache requires a leading quote, which the config parser removed) → literal text. */
export function parseErrorDocument(value: string): ErrorDocumentTarget {
  if (value.startsWith('/')) return { kind: 'local', uri: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { kind: 'external', url: value };
  // The httpd 2.0 form `ErrorDocument 404 "text` keeps its opening quote as a marker.
  const text = value.startsWith('"') ? value.slice(1, value.length > 1 && value.endsWith('"') ? -1 : undefined) : value;
  return { kind: 'text', text };
}
