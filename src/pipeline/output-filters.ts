/**
 * @module pipeline/output-filters — Python output filters (PythonOutputFilter, activated by
 * SetOutputFilter / AddOutputFilter / req.add_output_filter) over output Node produces (static
 * files). Python's own output is filtered inside its worker, so this is only for Node output.
 */
import type { HandlerEntry, PythonFilterSpec } from '../config/types.js';
import { selectInterpreterName } from './config-api.js';
import { openPython } from './python-phase.js';
import type { OpenPython, RequestRecord } from './request-record.js';

export type ChunkFilter = (chunk: Buffer | null) => Promise<Buffer[]>;

/** The Python filters active for the record, in order; unknown names (DEFLATE, …) are skipped. */
export function activePythonFilters(rec: RequestRecord): PythonFilterSpec[] {
  const specs = rec.dir.pythonOutputFilters;
  if (!specs) return [];
  const out: PythonFilterSpec[] = [];
  for (const name of rec.s.output_filters) {
    const spec = specs[name] ?? specs[name.toUpperCase()];
    if (spec) out.push(spec);
  }
  return out;
}

export async function staticOutputFilter(rec: RequestRecord): Promise<ChunkFilter | null> {
  const filters = activePythonFilters(rec);
  if (filters.length === 0) return null;
  const stages: { name: string; py: OpenPython }[] = [];
  for (const f of filters) {
    const entry: HandlerEntry = { handler: f.handler, directory: f.directory, isLocation: false, silent: false };
    const interp = selectInterpreterName(rec.dir, rec.server.conf, rec.s.filename, entry, rec.stats?.isDirectory() ?? false);
    const py = await openPython(rec, interp);
    stages.push({ name: f.name, py });
  }
  return async (chunk) => {
    // Each stage's output feeds the next; null (end of stream) is passed down the chain.
    let pieces: (Buffer | null)[] = [chunk];
    for (const { name, py } of stages) {
      const next: (Buffer | null)[] = [];
      for (const p of pieces) next.push(...(await py.req.filterOutput(name, p)));
      if (chunk === null) next.push(null);
      pieces = next;
    }
    return pieces.filter((p): p is Buffer => p !== null && p.length > 0);
  };
}
