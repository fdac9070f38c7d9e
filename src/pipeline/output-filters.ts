/**
 * @module pipeline/output-filters — Python output filters (PythonOutputFilter, activated by
 * SetOutputFilter / AddOutputFilter / req.add_output_filter) over output Node produces (static
 * files). Python's own output is filtered inside its worker, so this is only for Node output.
 */
import type { HandlerEntry, PythonFilterSpec } from '../config/types.js';
import { selectInterpreterName } from './config-api.js';
import { openPython } from './python-phase.js';
import { applyWorkerSync } from './request-headers.js';
import type { OpenPython, RequestRecord } from './request-record.js';

export type ChunkFilter = (chunk: Buffer | null) => Promise<Buffer[]>;

/** The Python filters active for the record, in order; unknown names (DEFLATE, …) are skipped. */
export function activePythonFilters(rec: RequestRecord): PythonFilterSpec[] {
  const specs = rec.dir.pythonOutputFilters;
  if (!specs) return [];
  // Filter names compare case-insensitively, as Apache's filter registry does.
  const byName = new Map<string, PythonFilterSpec>();
  for (const spec of Object.values(specs)) byName.set(spec.name.toLowerCase(), spec);
  const out: PythonFilterSpec[] = [];
  for (const name of rec.s.output_filters) {
    const spec = byName.get(name.toLowerCase());
    if (spec) out.push(spec);
  }
  return out;
}

/**
 * Brings the worker's view of the request up to date before a filter call (which carries no
 * sync): an empty handler list runs nothing — the phase answers DECLINED — and delivers
 * PhaseCall.sync, the contract's only way to send it.
 */
async function pushSync(rec: RequestRecord, py: OpenPython): Promise<void> {
  if (rec.sync.generation <= py.seen) return;
  const result = await py.req.runPhase({ phase: 'PythonFixupHandler', hlist: [], extension: null, sync: rec.sync.diff(py.seen) });
  py.seen = applyWorkerSync(rec, result.sync);
}

export async function staticOutputFilter(rec: RequestRecord): Promise<ChunkFilter | null> {
  const filters = activePythonFilters(rec);
  if (filters.length === 0) return null;
  const stages: { name: string; py: OpenPython }[] = [];
  for (const f of filters) {
    const entry: HandlerEntry = { handler: f.handler, directory: f.directory, isLocation: false, silent: false };
    const interp = selectInterpreterName(rec.dir, rec.server.conf, rec.s.filename, entry, rec.stats?.isDirectory() ?? false);
    const py = await openPython(rec, interp);
    await pushSync(rec, py);
    stages.push({ name: f.name.toLowerCase(), py });
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
