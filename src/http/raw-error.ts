/**
 * @module http/raw-error — answers a request Node's parser rejected (malformed → 400, line too
 * long → 414, fields too large → 400, header timeout → 408) directly on the socket, with
 * Apache's page, then closes the connection as Apache does.
 */
import type { Duplex } from 'node:stream';
import { ERROR_CONTENT_TYPE, errorPageHtml } from '../pipeline/error-pages.js';
import { reasonPhrase } from '../pipeline/status-text.js';

export function writeRawError(socket: Duplex, status: number, banner: string, notes = ''): void {
  const body = errorPageHtml(status, { method: 'GET', uri: '/', notes, signature: '' });
  const head =
    `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n` +
    `Date: ${new Date().toUTCString()}\r\n` +
    `Server: ${banner}\r\n` +
    `Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\n` +
    'Connection: close\r\n' +
    `Content-Type: ${ERROR_CONTENT_TYPE}\r\n\r\n`;
  socket.end(head + body, 'latin1');
}
