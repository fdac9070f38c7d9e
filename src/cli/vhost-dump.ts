/**
 * @module cli/vhost-dump — `-S`: the virtual hosts and main settings, in httpd's layout.
 */
import type { LoadedConfig, ServerConf } from '../config/types.js';

function where(s: ServerConf): string {
  return `(${s.source.file}:${s.source.line})`;
}

export function dumpVhosts(cfg: LoadedConfig): string {
  const lines = ['VirtualHost configuration:'];
  const byAddr = new Map<string, ServerConf[]>();
  for (const v of cfg.vhosts) {
    for (const a of v.addresses) {
      const key = `${a.address ?? '*'}:${a.port ?? '*'}`;
      const list = byAddr.get(key) ?? [];
      list.push(v);
      byAddr.set(key, list);
    }
  }
  for (const [addr, list] of byAddr) {
    const first = list[0] as ServerConf;
    if (list.length === 1) {
      lines.push(`${addr.padEnd(22)} ${first.serverName ?? ''} ${where(first)}`);
      continue;
    }
    lines.push(`${addr.padEnd(22)} is a NameVirtualHost`);
    lines.push(`         default server ${first.serverName ?? ''} ${where(first)}`);
    for (const v of list) lines.push(`         port ${addr.split(':').pop()} namevhost ${v.serverName ?? ''} ${where(v)}`);
  }
  lines.push(`ServerRoot: "${cfg.serverRoot}"`);
  lines.push(`Main DocumentRoot: "${cfg.main.documentRoot ?? ''}"`);
  lines.push(`Main ErrorLog: "${cfg.main.errorLog ?? ''}"`);
  lines.push(`PidFile: "${cfg.pidFile}"`);
  for (const d of cfg.defines) lines.push(`Define: ${d}`);
  return `${lines.join('\n')}\n`;
}
