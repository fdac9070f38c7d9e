/** A complete AccessEntry for log tests; each test overrides what it exercises. */
import type { AccessEntry } from '../../../src/logs/access-log.js';

export function sampleEntry(over: Partial<AccessEntry> = {}): AccessEntry {
  return {
    remoteAddr: '127.0.0.1',
    remotePort: 54321,
    localAddr: '127.0.0.2',
    localPort: 8080,
    remoteUser: null,
    requestLine: 'GET /index.html?a=1 HTTP/1.1',
    method: 'GET',
    uri: '/index.html',
    query: 'a=1',
    protocol: 'HTTP/1.1',
    status: 200,
    originalStatus: 200,
    bytesSent: 1234,
    bytesIn: 120,
    bytesOut: 1500,
    requestHeaders: { host: 'www.example.com:8080', 'user-agent': 'curl/8', cookie: 'sid=abc; theme=dark' },
    responseHeaders: [
      ['Content-Type', 'text/html; charset=utf-8'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['X-Twice', 'first'],
      ['x-twice', 'second'],
    ],
    startTime: new Date(2026, 10, 25, 0, 41, 2, 250).getTime(),
    durationUs: 2_345_678,
    serverName: 'example.com',
    canonicalPort: 80,
    filename: '/srv/www/index.html',
    env: { HTTPS: 'on' },
    notes: { 'python-note': 'n1' },
    pid: 4242,
    connectionId: 7,
    keepAliveCount: 3,
    handler: 'mod_python',
    connectionStatus: '+',
    ...over,
  };
}
