/**
 * @module bench/servers — every server instance the bench starts, and which rows each one
 * serves. One Apache instance can stand for two row servers (mod_wsgi embedded and daemon
 * live in the same Apache); mod_python and mod_wsgi cannot share one Apache.
 */
import type { ScenarioId } from './scenarios.js';

export interface Endpoint {
  /** Row server id (what the table and the targets call it). */
  server: string;
  scenario: ScenarioId;
  path: string;
}

export type Launch =
  | { kind: 'apache'; mpm: 'prefork' | 'event'; site: 'modpython' | 'wsgi' | 'cgi' }
  | { kind: 'modpy'; workers?: number }
  | { kind: 'node' };

export interface InstanceSpec {
  id: string;
  launch: Launch;
  endpoints: Endpoint[];
}

/** Display names of row servers. */
export const SERVER_NAMES: Readonly<Record<string, string>> = {
  modpy: 'modpy (default pool)',
  'mp-prefork': 'mod_python, Apache prefork',
  'mp-event': 'mod_python, Apache event',
  'wsgi-embedded': 'mod_wsgi embedded (event)',
  'wsgi-daemon': 'mod_wsgi daemon 2p×4t (event)',
  cgi: 'CGI python3 (Apache prefork)',
  node: 'bare node:http',
  'modpy-w1': 'modpy, 1 worker',
  'modpy-w2': 'modpy, 2 workers',
  'modpy-w4': 'modpy, 4 workers',
};

/** A row's server as shown: an Apache's static file is Apache's own work, not mod_python's. */
export function rowServerName(names: Readonly<Record<string, string>>, server: string, scenario: string): string {
  if (scenario === 'static' && server === 'mp-prefork') return 'Apache prefork (static)';
  if (scenario === 'static' && server === 'mp-event') return 'Apache event (static)';
  return names[server] ?? SERVER_NAMES[server] ?? server;
}

/** The mod_python site's paths (bench/conf/site-modpython.conf), served by Apache and modpy alike. */
function modPythonSite(server: string): Endpoint[] {
  const paths: [ScenarioId, string][] = [
    ['hello', '/mp/hello'],
    ['publisher', '/pub/hello.py/hello'],
    ['psp', '/psp/hello.psp'],
    ['wsgi', '/mpwsgi'],
    ['session', '/mp/session'],
    ['echo', '/mp/echo'],
    ['big', '/mp/big'],
    ['static', '/static/hello.txt'],
  ];
  return paths.map(([scenario, path]) => ({ server, scenario, path }));
}

export const INSTANCES: readonly InstanceSpec[] = [
  { id: 'modpy', launch: { kind: 'modpy' }, endpoints: modPythonSite('modpy') },
  { id: 'mp-prefork', launch: { kind: 'apache', mpm: 'prefork', site: 'modpython' }, endpoints: modPythonSite('mp-prefork') },
  { id: 'mp-event', launch: { kind: 'apache', mpm: 'event', site: 'modpython' }, endpoints: modPythonSite('mp-event') },
  {
    id: 'wsgi-event',
    launch: { kind: 'apache', mpm: 'event', site: 'wsgi' },
    endpoints: [
      { server: 'wsgi-embedded', scenario: 'wsgi', path: '/wsgi' },
      { server: 'wsgi-daemon', scenario: 'wsgi', path: '/wsgid' },
    ],
  },
  { id: 'cgi', launch: { kind: 'apache', mpm: 'prefork', site: 'cgi' }, endpoints: [{ server: 'cgi', scenario: 'hello', path: '/cgi-bin/hello.py' }] },
  {
    id: 'node',
    launch: { kind: 'node' },
    endpoints: [
      { server: 'node', scenario: 'hello', path: '/hello' },
      { server: 'node', scenario: 'echo', path: '/echo' },
      { server: 'node', scenario: 'big', path: '/big' },
    ],
  },
  ...[1, 2, 4].map((n) => ({
    id: `modpy-w${n}`,
    launch: { kind: 'modpy', workers: n } as const,
    endpoints: [{ server: `modpy-w${n}`, scenario: 'hello', path: '/mp/hello' } as const],
  })),
];
