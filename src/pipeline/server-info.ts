/**
 * @module pipeline/server-info — the ServerInfo Python sees as req.server (and the main server
 * in worker_init), computed from a ServerConf once per configuration load.
 */
import { hostname } from 'node:os';
import type { LoadedConfig, ServerConf } from '../config/types.js';
import type { ServerInfo } from '../workers/types.js';
import { parseLogLevel } from '../logs/log-level.js';

export const DEFAULT_TIMEOUT_S = 60;

function splitServerName(name: string | undefined): { host: string; port: number | null } {
  if (!name) return { host: hostname(), port: null };
  const m = /^(.*?)(?::(\d+))?$/.exec(name.replace(/^[a-z]+:\/\//i, ''));
  return { host: m?.[1] || name, port: m?.[2] ? Number(m[2]) : null };
}

/** The port written in ServerName host:port, else null. */
export function namedPort(serverName: string | undefined): number | null {
  return serverName ? splitServerName(serverName).port : null;
}

export function serverInfoFor(cfg: LoadedConfig, conf: ServerConf): ServerInfo {
  const m = cfg.main;
  const { host, port } = splitServerName(conf.serverName ?? m.serverName);
  const keepAlive = conf.keepAlive ?? m.keepAlive ?? true;
  return {
    server_hostname: host,
    server_admin: conf.serverAdmin ?? m.serverAdmin ?? '[no address given]',
    port: port ?? conf.addresses.find((a) => a.port)?.port ?? 0,
    is_virtual: conf.isVirtual,
    defn_name: conf.source.file,
    defn_line_number: conf.source.line,
    error_fname: conf.errorLog ?? m.errorLog ?? '',
    loglevel: parseLogLevel(conf.logLevel ?? m.logLevel ?? 'warn').level,
    timeout: conf.timeout ?? m.timeout ?? DEFAULT_TIMEOUT_S,
    keep_alive_timeout: conf.keepAliveTimeout ?? m.keepAliveTimeout ?? 5,
    keep_alive_max: conf.maxKeepAliveRequests ?? m.maxKeepAliveRequests ?? 100,
    keep_alive: keepAlive,
    names: conf.serverAliases.filter((n) => !/[*?]/.test(n)),
    wild_names: conf.serverAliases.filter((n) => /[*?]/.test(n)),
    limit_req_line: conf.limitRequestLine ?? m.limitRequestLine ?? 8190,
    limit_req_fieldsize: conf.limitRequestFieldSize ?? m.limitRequestFieldSize ?? 8190,
    limit_req_fields: conf.limitRequestFields ?? m.limitRequestFields ?? 100,
    config: { ...conf.pythonServerDirectives },
    options: { ...conf.pythonServerOptions },
  };
}
