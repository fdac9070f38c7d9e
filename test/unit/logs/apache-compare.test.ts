/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Differential check: the same requests through the real Apache 2.4 (mod_log_config) and through
 * our formatters must give byte-identical access-log lines (common, combined, and a line of
 * escaping-sensitive directives) and an identically shaped error-log line.
 * Skipped when /usr/sbin/apache2 is not installed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { compileLogFormat, STANDARD_FORMATS, type AccessEntry } from '../../../src/logs/access-log.js';
import { formatErrorLogLine } from '../../../src/logs/error-log.js';
import { LEVEL_NAMES } from '../../../src/logs/log-level.js';
import { apacheAvailable, useRealApache } from '../../helpers/real-apache.js';

const MODULES_USED = ['authz_core', 'mime'];
const available = apacheAvailable(MODULES_USED);

// Raw facts Apache knows and we need to rebuild an AccessEntry (request line and headers we send).
const FACTS = '%{usec}t|%a|%{remote}p|%A|%{local}p|%p|%v|%>s|%s|%B|%I|%O|%D|%k|%X|%P';
const EXTRA = '%h %l %u %t "%r" %>s %b "%{X-Esc}i" %q %U %H %m %v %V %{Content-Type}o %400,404{User-Agent}i %!404{User-Agent}i';

const REQUESTS = [
  'GET /index.html?a=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nReferer: http://ref/x\r\nUser-Agent: Mozilla/5.0 "quoted"\r\nConnection: close\r\n\r\n',
  'GET /missing HTTP/1.1\r\nHost: localhost:1234\r\nX-Esc: tab\t\xc3\xa9\\x\r\nUser-Agent: ua\r\nConnection: close\r\n\r\n',
  'GET /denied/f HTTP/1.1\r\nHost: 127.0.0.1\r\nReferer: http://ref/denied\r\nConnection: close\r\n\r\n',
];

/** Sends raw bytes (latin-1, so \xc3\xa9 are two bytes) and returns the raw response. */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(Buffer.from(request, 'latin1'));
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function parseRequest(raw: string): { line: string; headers: Record<string, string> } {
  const [line, ...rest] = raw.split('\r\n\r\n')[0]?.split('\r\n') ?? [];
  const headers: Record<string, string> = {};
  for (const h of rest) {
    const colon = h.indexOf(':');
    headers[h.slice(0, colon).toLowerCase()] = h.slice(colon + 1).trim();
  }
  return { line: line as string, headers };
}

function responseHeaders(raw: string): [string, string][] {
  const head = raw.split('\r\n\r\n')[0]?.split('\r\n').slice(1) ?? [];
  return head.map((h) => {
    const colon = h.indexOf(':');
    return [h.slice(0, colon), h.slice(colon + 1).trim()];
  });
}

function entryFrom(facts: string, request: string, response: string): AccessEntry {
  const [usec, a, rport, la, lport, cport, v, final, orig, bytes, bytesIn, bytesOut, dur, k, x, pid] = facts.split('|');
  const { line, headers } = parseRequest(request);
  const [method, target, protocol] = line.split(' ') as [string, string, string];
  const q = target.indexOf('?');
  return {
    remoteAddr: a as string,
    remotePort: Number(rport),
    localAddr: la as string,
    localPort: Number(lport),
    remoteUser: null,
    requestLine: line,
    method,
    uri: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    protocol,
    status: Number(final),
    originalStatus: Number(orig),
    bytesSent: Number(bytes),
    bytesIn: Number(bytesIn),
    bytesOut: Number(bytesOut),
    requestHeaders: headers,
    responseHeaders: responseHeaders(response),
    startTime: Number(usec) / 1000,
    durationUs: Number(dur),
    serverName: v as string,
    canonicalPort: Number(cport),
    filename: null,
    env: {},
    notes: {},
    pid: Number(pid),
    connectionId: 0,
    keepAliveCount: Number(k),
    handler: null,
    connectionStatus: x as AccessEntry['connectionStatus'],
  };
}

describe('logs match the real Apache 2.4', { skip: available ? false : 'apache2 not installed' }, () => {
  const apache = useRealApache('logs', MODULES_USED, (dir) => {
    fs.mkdirSync(path.join(dir, 'htdocs', 'denied'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'htdocs', 'index.html'), 'hello\n');
    fs.writeFileSync(path.join(dir, 'htdocs', 'denied', 'f'), 'x\n');
    return [
      'TypesConfig /etc/mime.types',
      'LogLevel warn',
      `DocumentRoot ${dir}/htdocs`,
      `<Directory ${dir}/htdocs>\n  Require all granted\n</Directory>`,
      `<Directory ${dir}/htdocs/denied>\n  Require all denied\n</Directory>`,
      `LogFormat "${STANDARD_FORMATS.common?.replace(/"/g, '\\"')}" common`,
      `LogFormat "${STANDARD_FORMATS.combined?.replace(/"/g, '\\"')}" combined`,
      `CustomLog ${dir}/common common`,
      `CustomLog ${dir}/combined combined`,
      `CustomLog ${dir}/extra "${EXTRA.replace(/"/g, '\\"')}"`,
      `CustomLog ${dir}/facts "${FACTS}"`,
    ];
  });
  const responses: string[] = [];

  before(async () => {
    for (const request of REQUESTS) responses.push(await exchange(apache.port, request));
    const logged = (): boolean =>
      ['common', 'combined', 'extra', 'facts'].every((f) => {
        const p = path.join(apache.dir, f);
        return fs.existsSync(p) && fs.readFileSync(p, 'utf8').split('\n').length > REQUESTS.length;
      });
    await waitFor(logged, 'the access logs');
  });

  for (const name of ['common', 'combined', 'extra'] as const) {
    it(`the ${name} lines are identical`, () => {
      const format = name === 'extra' ? EXTRA : (STANDARD_FORMATS[name] as string);
      const compiled = compileLogFormat(format);
      const facts = fs.readFileSync(path.join(apache.dir, 'facts'), 'utf8').trimEnd().split('\n');
      const theirs = fs.readFileSync(path.join(apache.dir, name), 'latin1').trimEnd().split('\n');
      REQUESTS.forEach((request, i) => {
        const ours = compiled(entryFrom(facts[i] as string, request, responses[i] as string));
        assert.equal(ours, theirs[i], `request ${i + 1} (${request.split('\r\n')[0]})`);
      });
    });
  }

  it('an error-log line has the same shape', () => {
    const lines = fs.readFileSync(path.join(apache.dir, 'error_log'), 'utf8').split('\n');
    const denied = lines.find((l) => l.includes('AH01630'));
    assert.ok(denied, 'Apache logged the denied request');
    const m = /^\[(\w{3}) (\w{3}) (\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) (\d{4})\] \[(\w+):(\w+)\] \[pid (\d+):tid (\d+)\] \[client ([\d.:]+)\] (AH\d{5}): (.*), referer: (.*)$/.exec(denied);
    assert.ok(m, `parsed: ${denied}`);
    const [, , mon, day, hh, mm, ss, usec, year, module, level, pid, tid, client, aplogno, message, referer] = m;
    const months = 'JanFebMarAprMayJunJulAugSepOctNovDec';
    const ms = new Date(Number(year), months.indexOf(mon as string) / 3, Number(day), Number(hh), Number(mm), Number(ss)).getTime();
    const ours = formatErrorLogLine({
      timeUs: ms * 1000 + Number(usec),
      level: (LEVEL_NAMES as readonly string[]).indexOf(level as string),
      message: message as string,
      module: module as string,
      pid: Number(pid),
      tid: Number(tid),
      client: client as string,
      aplogno: aplogno as string,
      referer: referer as string,
    });
    assert.equal(ours, `${denied}\n`);
  });
});
