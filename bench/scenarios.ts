/**
 * @module bench/scenarios — what each row asks the server for, and how its answer is checked
 * before it is measured (a fast wrong answer must not count).
 */

export type ScenarioId = 'hello' | 'publisher' | 'psp' | 'wsgi' | 'session' | 'echo' | 'big' | 'static';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Bytes of POST body wrk sends (0 = GET). */
  postBytes: number;
  /** How the answer is verified: the hello body, the echoed body, 1 MiB, or a session counter. */
  check: 'hello' | 'echo' | 'big' | 'session';
}

export const HELLO_BODY = 'Hello, World!\n';
export const BIG_BYTES = 1024 * 1024;
export const ECHO_BYTES = 64 * 1024;

export const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  hello: { id: 'hello', title: 'PythonHandler writing "Hello, World!\\n"', postBytes: 0, check: 'hello' },
  publisher: { id: 'publisher', title: 'mod_python.publisher, /pub/hello.py/hello', postBytes: 0, check: 'hello' },
  psp: { id: 'psp', title: 'mod_python.psp page', postBytes: 0, check: 'hello' },
  wsgi: { id: 'wsgi', title: 'WSGI hello (modpy and mod_python: mod_python.wsgi)', postBytes: 0, check: 'hello' },
  session: { id: 'session', title: 'mod_python Session (FileSession) read + write', postBytes: 0, check: 'session' },
  echo: { id: 'echo', title: '64 KiB POST echoed back', postBytes: ECHO_BYTES, check: 'echo' },
  big: { id: 'big', title: '1 MiB GET from a handler', postBytes: 0, check: 'big' },
  static: { id: 'static', title: 'static file (14 bytes)', postBytes: 0, check: 'hello' },
};

export const SCENARIO_ORDER: readonly ScenarioId[] = ['hello', 'publisher', 'psp', 'wsgi', 'session', 'echo', 'big', 'static'];
