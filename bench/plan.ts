/**
 * @module bench/plan — which rows a run measures: every scenario at 1 and 32 connections in
 * the full mode (hello also at 8 and 128 for the curve), a small subset with --quick, and
 * --only=REGEX to keep the rows whose key ("server/scenario/cN") matches.
 */
import { SCENARIO_ORDER, type ScenarioId } from './scenarios.js';
import { INSTANCES, type InstanceSpec } from './servers.js';

export interface PlannedRow {
  server: string;
  scenario: ScenarioId;
  path: string;
  connections: number;
}

export interface PlannedInstance {
  instance: InstanceSpec;
  rows: PlannedRow[];
}

/** Servers whose hello row is also measured at 8 and 128 connections (the curve). */
const CURVE_SERVERS = new Set(['modpy', 'mp-prefork', 'node']);
export const CURVE_CONNECTIONS = [1, 8, 32, 128];

/** --quick: enough rows to see every kind of server, in about two minutes. */
const QUICK: Readonly<Record<string, Partial<Record<ScenarioId, number[]>>>> = {
  modpy: { hello: [1, 32], wsgi: [32], session: [32], echo: [32], big: [32], static: [32] },
  'mp-prefork': { hello: [1, 32], session: [32], echo: [32], big: [32], static: [32] },
  'wsgi-embedded': { wsgi: [32] },
  'wsgi-daemon': { wsgi: [32] },
  node: { hello: [1, 32] },
  'modpy-w1': { hello: [32] },
  'modpy-w2': { hello: [32] },
  'modpy-w4': { hello: [32] },
};

export function rowKey(r: { server: string; scenario: string; connections: number }): string {
  return `${r.server}/${r.scenario}/c${r.connections}`;
}

function connectionsFor(mode: 'quick' | 'full', server: string, scenario: ScenarioId): number[] {
  if (mode === 'quick') return QUICK[server]?.[scenario] ?? [];
  if (scenario === 'hello' && CURVE_SERVERS.has(server)) return CURVE_CONNECTIONS;
  return [1, 32];
}

/** The instances to start, in order, each with its rows (scenario order, then connections). */
export function planRun(mode: 'quick' | 'full', only?: RegExp, instances: readonly InstanceSpec[] = INSTANCES): PlannedInstance[] {
  const plan: PlannedInstance[] = [];
  for (const instance of instances) {
    const rows: PlannedRow[] = [];
    const endpoints = [...instance.endpoints].sort((a, b) => SCENARIO_ORDER.indexOf(a.scenario) - SCENARIO_ORDER.indexOf(b.scenario));
    for (const e of endpoints) {
      for (const connections of connectionsFor(mode, e.server, e.scenario)) {
        const row = { server: e.server, scenario: e.scenario, path: e.path, connections };
        if (!only || only.test(rowKey(row))) rows.push(row);
      }
    }
    if (rows.length > 0) plan.push({ instance, rows });
  }
  return plan;
}
