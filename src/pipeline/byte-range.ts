/**
 * @module pipeline/byte-range — Apache's byterange filter over a handler's output whose length
 * is known: one satisfiable "bytes=" range of a 200 GET becomes a 206 carrying only those bytes.
 * Several ranges, If-Range, or a range that does not fit leave the full 200 (modpy sends no
 * multipart/byteranges for handler output).
 */

export interface RangeCut {
  start: number;
  end: number; // inclusive
  total: number;
}

/** The single range to cut from a body of `total` bytes, or null to send it whole. */
export function singleRange(header: string | undefined, total: number): RangeCut | null {
  if (!header || total <= 0) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    start = Math.max(0, total - suffix);
    end = total - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? total - 1 : Math.min(Number(m[2]), total - 1);
  }
  if (start > end || start >= total) return null;
  return { start, end, total };
}

/** Cuts the range out of a stream of chunks: call with each chunk in order. */
export function rangeSlicer(cut: RangeCut): (chunk: Buffer) => Buffer | null {
  let pos = 0;
  return (chunk) => {
    const from = pos;
    pos += chunk.length;
    const a = Math.max(cut.start, from);
    const b = Math.min(cut.end + 1, pos);
    if (a >= b) return null;
    return chunk.subarray(a - from, b - from);
  };
}
