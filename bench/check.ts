/**
 * @module bench/check — verifies a row's answer before it is measured (status and body), and
 * prepares the sessions the session row rotates through.
 */
import { randomBytes } from 'node:crypto';
import { BIG_BYTES, ECHO_BYTES, HELLO_BODY, type Scenario } from './scenarios.js';

/** Sessions the session row cycles through: twice the largest connection count in the table. */
export const SESSION_COUNT = 64;

async function get(url: string, init: RequestInit = {}): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

function sessionCookie(headers: Headers): string | undefined {
  for (const line of headers.getSetCookie()) {
    const m = /^(pysid=[0-9a-f]{32})/.exec(line);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

const short = (b: Buffer): string => JSON.stringify(b.subarray(0, 120).toString('latin1'));

/** The session row: create sessions, then prove a cookie's session is read back and written. */
async function checkSession(url: string): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < SESSION_COUNT; i++) {
    const r = await get(url);
    const cookie = sessionCookie(r.headers);
    if (r.status !== 200 || !cookie) throw new Error(`new session: HTTP ${r.status}, Set-Cookie ${JSON.stringify(r.headers.getSetCookie())}, body ${short(r.body)}`);
    cookies.push(cookie);
  }
  const first = cookies[0] as string;
  const again = await get(url, { headers: { Cookie: first } });
  if (again.status !== 200 || again.body.toString() !== 'hits=2\n') throw new Error(`session read back: HTTP ${again.status}, body ${short(again.body)} (want "hits=2")`);
  return cookies;
}

/**
 * Resolves with the cookies wrk must send (session row) or [] when the answer is right;
 * rejects with "wrong response: …" otherwise.
 */
export async function checkEndpoint(scenario: Scenario, url: string): Promise<string[]> {
  try {
    switch (scenario.check) {
      case 'hello': {
        const r = await get(url);
        if (r.status !== 200 || r.body.toString() !== HELLO_BODY) throw new Error(`HTTP ${r.status}, body ${short(r.body)}`);
        return [];
      }
      case 'echo': {
        const sent = randomBytes(ECHO_BYTES);
        const r = await get(url, { method: 'POST', body: sent, headers: { 'Content-Type': 'application/octet-stream' } });
        if (r.status !== 200 || !r.body.equals(sent)) throw new Error(`HTTP ${r.status}, ${r.body.length} bytes back, ${r.body.equals(sent) ? 'same' : 'not the'} bytes sent`);
        return [];
      }
      case 'big': {
        const r = await get(url);
        if (r.status !== 200 || r.body.length !== BIG_BYTES) throw new Error(`HTTP ${r.status}, ${r.body.length} bytes (want ${BIG_BYTES})`);
        return [];
      }
      case 'session':
        return await checkSession(url);
    }
  } catch (err) {
    throw new Error(`wrong response from ${url}: ${(err as Error).message}`);
  }
}
