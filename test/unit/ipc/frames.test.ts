/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ASSEMBLE_MAX,
  FRAME_BODY,
  FRAME_FILTER,
  FrameDecoder,
  FrameError,
  HEADER_SIZE,
  MAX_FRAME,
  dataHeader,
  encodeJson,
  endFrame,
  type DataKind,
} from '../../../src/ipc/frames.js';
import { isFromWorker } from '../../../src/ipc/messages.js';

type Event = { message: unknown } | { kind: DataKind; id: number; data: string } | { end: number };

function collect(): { events: Event[]; decoder: FrameDecoder } {
  const events: Event[] = [];
  const pieces = new Map<string, string>();
  const decoder = new FrameDecoder({
    message: (value) => events.push({ message: value }),
    data: (kind, id, piece) => {
      // Merge the pieces of one data frame so tests can compare whole payloads.
      const last = events[events.length - 1];
      if (last && 'kind' in last && last.kind === kind && last.id === id && pieces.has(`${kind}:${id}`)) {
        last.data += piece.toString('latin1');
      } else {
        events.push({ kind, id, data: piece.toString('latin1') });
        pieces.set(`${kind}:${id}`, '');
      }
    },
    end: (id) => events.push({ end: id }),
  });
  return { events, decoder };
}

function stream(): Buffer {
  return Buffer.concat([
    encodeJson({ type: 'response.head', rid: 7, head: { status: 200, note: 'Zoë' } }),
    dataHeader(FRAME_BODY, 7, 5),
    Buffer.from('hello'),
    dataHeader(FRAME_FILTER, 9, 3),
    Buffer.from('abc'),
    encodeJson({ type: 'phase.done', rid: 7, result: { status: 0, sync: {} } }),
    endFrame(7),
  ]);
}

const EXPECTED: Event[] = [
  { message: { type: 'response.head', rid: 7, head: { status: 200, note: 'Zoë' } } },
  { kind: FRAME_BODY, id: 7, data: 'hello' },
  { kind: FRAME_FILTER, id: 9, data: 'abc' },
  { message: { type: 'phase.done', rid: 7, result: { status: 0, sync: {} } } },
  { end: 7 },
];

describe('frame codec', () => {
  it('decodes control and data frames from one chunk, in order', () => {
    const { events, decoder } = collect();
    decoder.push(stream());
    assert.deepEqual(events, EXPECTED);
    assert.ok(decoder.idle, 'nothing is left half-read');
  });

  it('gives the same result however the stream is split, down to single bytes', () => {
    const whole = stream();
    for (const size of [1, 2, 3, 8, 9, 10, 17, 64]) {
      const { events, decoder } = collect();
      for (let i = 0; i < whole.length; i += size) decoder.push(whole.subarray(i, i + size));
      assert.deepEqual(events, EXPECTED, `split every ${size} bytes`);
      assert.ok(decoder.idle);
    }
  });

  it('gathers a data frame that spans reads into one buffer, up to ASSEMBLE_MAX', () => {
    const seen: Buffer[] = [];
    const decoder = new FrameDecoder({ message: () => undefined, data: (_k, _id, piece) => seen.push(piece), end: () => undefined });
    const payload = Buffer.alloc(200_000);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    const whole = Buffer.concat([dataHeader(FRAME_BODY, 1, payload.length), payload, encodeJson({ type: 'x' })]);
    for (let i = 0; i < whole.length; i += 65536) decoder.push(whole.subarray(i, i + 65536));
    assert.equal(seen.length, 1, 'one delivery');
    assert.ok(seen[0]!.equals(payload), 'every byte, in order');
    assert.ok(decoder.idle);
  });

  it('streams a data frame larger than ASSEMBLE_MAX piece by piece', () => {
    const seen: number[] = [];
    const decoder = new FrameDecoder({ message: () => undefined, data: (_k, _id, piece) => seen.push(piece.length), end: () => undefined });
    const length = ASSEMBLE_MAX + 10;
    decoder.push(dataHeader(FRAME_BODY, 1, length));
    const piece = Buffer.alloc(1024 * 1024);
    let sent = 0;
    while (sent < length) {
      const n = Math.min(piece.length, length - sent);
      decoder.push(piece.subarray(0, n));
      sent += n;
    }
    assert.equal(
      seen.reduce((a, b) => a + b, 0),
      length,
      'every byte is delivered',
    );
    assert.ok(seen.length >= 5, 'in pieces, as they arrive');
    assert.ok(decoder.idle);
  });

  it('writes the 9-byte header: length, kind, id', () => {
    const h = dataHeader(FRAME_BODY, 0x01020304, 258);
    assert.equal(h.length, HEADER_SIZE);
    assert.deepEqual([...h], [0, 0, 1, 2, 1, 1, 2, 3, 4]);
    const j = encodeJson({ type: 'x' });
    assert.equal(j.readUInt32BE(0), j.length - HEADER_SIZE);
    assert.equal(j[4], 0);
  });

  it('rejects an unknown kind, an oversized length and a control frame that is not JSON', () => {
    const bad = Buffer.from([0, 0, 0, 1, 9, 0, 0, 0, 0, 0]);
    assert.throws(() => collect().decoder.push(bad), FrameError);
    const huge = Buffer.alloc(HEADER_SIZE);
    huge.writeUInt32BE(MAX_FRAME + 1, 0);
    assert.throws(() => collect().decoder.push(huge), /over the .* byte limit/);
    const notJson = Buffer.concat([Buffer.from([0, 0, 0, 3, 0, 0, 0, 0, 0]), Buffer.from('{x}')]);
    assert.throws(() => collect().decoder.push(notJson), /not JSON/);
    const fatEnd = Buffer.concat([Buffer.from([0, 0, 0, 1, 3, 0, 0, 0, 1]), Buffer.from('x')]);
    assert.throws(() => collect().decoder.push(fatEnd), /END frame with a 1 byte payload/);
  });

  it('knows the worker messages by type', () => {
    assert.equal(isFromWorker({ type: 'phase.done', rid: 1, result: {} }), true);
    assert.equal(isFromWorker({ type: 'request.begin' }), false, 'a server→worker type is not a worker message');
    assert.equal(isFromWorker(null), false);
    assert.equal(isFromWorker([1]), false);
  });
});
