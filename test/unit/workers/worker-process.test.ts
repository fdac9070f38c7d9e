import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeJson, endFrame } from '../../../src/ipc/frames.js';
import { WorkerProcess, type ExitInfo } from '../../../src/workers/worker-process.js';

/** A stand-in worker that prints, in hex, every piece it receives on fd 3 (one line per recv):
 *  what left Node in one write arrives in one recv. */
const RECORDER = `
import socket, sys
sock = socket.socket(fileno=3)
while True:
    data = sock.recv(1 << 16)
    if not data:
        break
    sys.stdout.write(data.hex() + "\\n")
    sys.stdout.flush()
`;

function recorderPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modpy-recorder-'));
  mkdirSync(join(dir, 'mod_python', '_worker'), { recursive: true });
  writeFileSync(join(dir, 'mod_python', '__init__.py'), '');
  writeFileSync(join(dir, 'mod_python', '_worker', '__init__.py'), '');
  writeFileSync(join(dir, 'mod_python', '_worker', 'main.py'), RECORDER);
  return dir;
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (check()) resolve();
      else setTimeout(poll, 5);
    };
    poll();
  });
}

void test('worker process: an END frame sent while a write is under way leaves with it, in call order', async (t) => {
  const packageDir = recorderPackage();
  t.after(() => rmSync(packageDir, { recursive: true, force: true }));
  const received: string[] = [];
  let exited: (info: ExitInfo) => void = () => {};
  const exit = new Promise<ExitInfo>((resolve) => (exited = resolve));
  const proc = new WorkerProcess(
    { python: process.env.MODPY_TEST_PYTHON ?? 'python3', packageDir, env: {}, log: (_level, line) => received.push(line) },
    { message: () => {}, data: () => {}, end: () => {}, exit: (info) => exited(info) },
  );
  t.after(() => proc.kill('SIGKILL'));

  const first = { type: 'body.end', rid: 1 } as const;
  const after = { type: 'body.end', rid: 2 } as const;
  proc.send(first);
  proc.sendEndLazy(1);
  proc.send(after);
  const together = Buffer.concat([encodeJson(first), endFrame(1), encodeJson(after)]).toString('hex');
  await until(() => received.join('').length >= together.length);
  assert.deepEqual(received, [together], 'one writev, END between the messages it was sent between');

  // Alone, an END still leaves on its own (after the lazy delay).
  proc.sendEndLazy(3);
  await until(() => received.length === 2);
  assert.equal(received[1], endFrame(3).toString('hex'));

  proc.closeLink();
  const info = await exit;
  assert.equal(info.code, 0);
});
