/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Keeps the error table, the log-message table and their docs in step. When a test here fails
 * after you added an error or a message, regenerate the docs with the command in the message.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { ERRORS, createError, ModpyError } from '../../src/errors.js';
import { ErrorLog } from '../../src/logs/error-log.js';
import { formatMessage, logMessage, messageLevel, MESSAGES } from '../../src/logs/messages.js';
import { ERRORS_DOC, MESSAGES_DOC, REGENERATE_COMMAND, renderErrorsDoc, renderLogMessagesDoc } from '../../scripts/gen-error-docs.js';
import os from 'node:os';
import path from 'node:path';

describe('ERRORS table', () => {
  for (const [name, def] of Object.entries(ERRORS)) {
    it(`${name}: code MPY_ERR_${name}, a status, a cause and a fix`, () => {
      assert.equal(def.code, `MPY_ERR_${name}`);
      assert.ok(def.status >= 400 && def.status <= 599, `status ${def.status}`);
      assert.ok(def.message.length > 0 && def.cause.length > 0 && def.fix.length > 0);
    });
  }

  it('codes are unique', () => {
    const codes = Object.values(ERRORS).map((d) => d.code);
    assert.equal(new Set(codes).size, codes.length);
  });

  it('createError fills %s in order and carries code and status', () => {
    const err = createError('LOG_BAD_TARGET', 'syslog', 'not here');
    assert.ok(err instanceof ModpyError);
    assert.equal(err.code, 'MPY_ERR_LOG_BAD_TARGET');
    assert.equal(err.message, "Log target 'syslog' is not supported: not here");
  });
});

describe('MESSAGES table', () => {
  const entries = Object.entries(MESSAGES);
  it('ids are MPY + 4 digits, unique, in ascending order', () => {
    const ids = entries.map(([, d]) => d.id);
    for (const id of ids) assert.match(id, /^MPY\d{4}$/);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids);
  });
  for (const [name, d] of entries) {
    it(`${d.id} ${name} has a cause, an outcome and an operator action`, () => {
      assert.ok(d.cause && d.outcome && d.action && d.message);
      assert.ok(messageLevel(name as keyof typeof MESSAGES) >= 0);
    });
  }

  it('formatMessage fills placeholders and shows "-" for missing ones', () => {
    assert.equal(formatMessage('QUEUE_FULL', { interpreter: 'main', queued: 10, limit: 10 }), 'interpreter "main" queue is full (10 waiting, limit 10); answered 503');
    assert.equal(formatMessage('SERVER_STOPPING', {}), 'caught -, shutting down');
  });

  it('logMessage writes the id, the severity and module modpy, and respects LogLevel', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modpy-messages-'));
    try {
      const file = path.join(dir, 'error_log');
      const log = ErrorLog.open(file, 'notice');
      logMessage(log, 'WORKER_CRASHED', { pid: 4242, interpreter: 'main', signal: 'SIGSEGV', request: 'GET /x' }, { client: '127.0.0.1:5' });
      logMessage(log, 'WORKER_STARTED', { pid: 1, interpreter: 'main', ms: 80 }); // info: below notice
      await log.close();
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      assert.equal(lines.length, 1);
      assert.match(lines[0] as string, /\] \[modpy:error\] \[pid \d+:tid \d+\] \[client 127\.0\.0\.1:5\] MPY0013: worker 4242 for interpreter "main" was killed by signal SIGSEGV while serving GET \/x$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generated docs match the code', () => {
  const stale = (file: string, source: string): string =>
    `${path.relative(process.cwd(), file)} does not match ${source}: run \`${REGENERATE_COMMAND}\` and commit the result`;

  it('docs/errors.md lists exactly the ERRORS table', () => {
    const current = fs.existsSync(ERRORS_DOC) ? fs.readFileSync(ERRORS_DOC, 'utf8') : '';
    assert.ok(current === renderErrorsDoc(), stale(ERRORS_DOC, 'src/errors.ts'));
    for (const def of Object.values(ERRORS)) assert.ok(current.includes(`\`${def.code}\``), `${def.code} is documented`);
  });

  it('docs/log-messages.md lists exactly the MESSAGES table', () => {
    const current = fs.existsSync(MESSAGES_DOC) ? fs.readFileSync(MESSAGES_DOC, 'utf8') : '';
    assert.ok(current === renderLogMessagesDoc(), stale(MESSAGES_DOC, 'src/logs/messages.ts'));
    for (const def of Object.values(MESSAGES)) assert.ok(current.includes(`## ${def.id} `), `${def.id} is documented`);
  });
});
