/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
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

  it('streams a data frame that spans reads piece by piece, every byte in order, without copying', () => {
    const seen: Buffer[] = [];
    const decoder = new FrameDecoder({ message: () => undefined, data: (_k, _id, piece) => seen.push(piece), end: () => undefined });
    const payload = Buffer.alloc(200_000);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    const whole = Buffer.concat([dataHeader(FRAME_BODY, 1, payload.length), payload, encodeJson({ type: 'x' })]);
    const reads: Buffer[] = [];
    for (let i = 0; i < whole.length; i += 65536) reads.push(whole.subarray(i, i + 65536));
    for (const r of reads) decoder.push(r);
    assert.equal(seen.length, reads.length, 'one piece per read');
    assert.ok(Buffer.concat(seen).equals(payload), 'every byte, in order');
    assert.equal(seen[1]!.buffer, reads[1]!.buffer, 'a slice of the read, not a copy');
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
