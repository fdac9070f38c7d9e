/**
 * @module workers/bridge-connection — a PythonConnectionHandler run over the worker link.
 * The worker reads the socket with body.read (answered from ConnectionHost.read) and writes it
 * with BODY frames (ConnectionHost.write); the handler's int result ends the stream.
 */
import { createError, type ModpyError } from '../errors.js';
import { FRAME_BODY, type DataKind } from '../ipc/frames.js';
import type { FromWorker } from '../ipc/messages.js';
import type { ServiceContext, ServiceRegistry } from '../services/registry.js';
import type { HandlerEntry } from '../config/types.js';
import type { ConnectionHead, ConnectionHost, ServerInfo } from './types.js';
import type { LostCause, Stream, Worker } from './worker.js';

export interface ConnectionPolicy {
  interpreter: string;
  services: ServiceRegistry;
  release(conn: BridgeConnection, worker: Worker): void;
}

export class BridgeConnection implements Stream {
  readonly countsAsLoad = true;
  readonly executing = true;
  id = 0;
  worker: Worker | null = null;
  readonly done: Promise<number>;
  readonly #host: ConnectionHost;
  readonly #policy: ConnectionPolicy;
  readonly #begin: { handler: HandlerEntry; conn: ConnectionHead & { keepalives: number }; server: ServerInfo };
  readonly #cleanups: (() => void)[] = [];
  #writes = Promise.resolve();
  /** The context of every call the connection makes (one object, so services keep one cleanup
   *  per connection, not one per call: services/index.ts dropAtEnd). Made when bound. */
  #callContext: ServiceContext | null = null;
  #resolve!: (n: number) => void;
  #reject!: (e: Error) => void;

  constructor(
    handler: HandlerEntry,
    conn: ConnectionHead & { keepalives: number },
    server: ServerInfo,
    host: ConnectionHost,
    policy: ConnectionPolicy,
  ) {
    this.#host = host;
    this.#policy = policy;
    this.#begin = { handler, conn, server };
    this.done = new Promise<number>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  describe(): string {
    return `connection from ${this.#begin.conn.client_ip}:${this.#begin.conn.client_port}`;
  }

  bind(worker: Worker): void {
    this.worker = worker;
    this.id = worker.nextId();
    worker.attach(this);
    this.#callContext = {
      interpreter: this.#policy.interpreter,
      workerPid: worker.pid,
      rid: this.id,
      onEnd: (fn) => this.#cleanups.push(fn),
    };
    worker.proc.send({ type: 'conn.begin', cid: this.id, ...this.#begin, deadlineMs: 0 });
  }

  fail(err: ModpyError): void {
    this.#finish(err, 0);
  }

  onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'body.read':
        this.#host.read(msg.max).then(
          (chunk) => {
            if (chunk && chunk.length) this.worker?.proc.sendData(FRAME_BODY, this.id, chunk);
            else this.worker?.proc.send({ type: 'body.end', rid: this.id });
          },
          () => this.worker?.proc.send({ type: 'body.end', rid: this.id }),
        );
        return;
      case 'response.drain':
        void this.#writes.then(() => this.worker?.proc.send({ type: 'response.drained', rid: this.id }));
        return;
      case 'conn.done':
        void this.#writes.then(() => this.#finish(null, msg.result));
        return;
      case 'conn.error':
        this.#finish(
          msg.reason === 'timeout'
            ? createError('WORKER_TIMEOUT', this.#policy.interpreter, 0)
            : createError('WORKER_EXCEPTION', this.#policy.interpreter, 'the connection handler failed; see the error log'),
          0,
        );
        return;
      default:
        return;
    }
  }

  onEnded(): void {
    // Connections end with conn.done / conn.error.
  }

  onData(_kind: DataKind, piece: Buffer): void {
    // Writes are chained so that they reach the socket in order, each after the last drained.
    this.#writes = this.#writes.then(
      () => this.#host.write(piece),
      () => undefined,
    );
  }

  call(method: string, args: Record<string, unknown>): Promise<unknown> {
    return this.#policy.services.call(method, args, this.#callContext!);
  }

  log(level: number, message: string): void {
    this.#host.log(level, message);
  }

  onWorkerLost(worker: Worker, _begun: boolean, cause: LostCause): void {
    worker.detach(this);
    this.#finish(createError('WORKER_CRASHED', this.#policy.interpreter, worker.pid, cause.words), 0);
  }

  #finish(err: Error | null, result: number): void {
    for (const fn of this.#cleanups.splice(0)) {
      try {
        fn();
      } catch {
        // a service's cleanup must not keep the connection from ending
      }
    }
    if (this.worker) this.#policy.release(this, this.worker);
    if (err) this.#reject(err);
    else this.#resolve(result);
  }
}
