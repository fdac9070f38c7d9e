/**
 * @module cli/main — the `modpy` command: httpd-compatible flags (`-f`, `-d`, `-k`, `-D`, `-t`,
 * `-v`, `-V`, `-X`, `-S`) and the modern `serve`, `configtest`, `config --json`.
 * bin/modpy.js calls main() from the build; tests run this file through tsx.
 */
import { resolve, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, configToJSON } from '../pipeline/config-api.js';
import type { LoadedConfig } from '../config/types.js';
import { parseArgs, USAGE, UsageError, type CliOptions } from './args.js';
import { DAEMON_CHILD_ENV, reloadServer, startDetached, stopServer } from './control.js';
import { runServer } from './runtime.js';
import { serveConfigText } from './serve-config.js';
import { drainLimitMs } from './grace.js';
import { describeStartupError } from './startup-errors.js';
import { verboseVersionText, versionText } from './version.js';
import { dumpVhosts } from './vhost-dump.js';
import { createError } from '../errors.js';

/** httpd's rule: -f relative to ServerRoot (-d, else the current directory); default conf/httpd.conf. */
function configPath(o: CliOptions): string {
  const root = resolve(o.serverRoot ?? process.cwd());
  const f = o.configFile ?? join('conf', 'httpd.conf');
  return isAbsolute(f) ? f : resolve(root, f);
}

async function load(o: CliOptions): Promise<LoadedConfig | null> {
  try {
    return await loadConfig(configPath(o), { defines: o.defines, serverRoot: o.serverRoot ?? undefined });
  } catch (err) {
    process.stderr.write(`${describeStartupError(err)}\n`);
    return null;
  }
}

/** A UsageError becomes MPY_ERR_CLI_USAGE and the usage text on stderr, exit status 1. */
function usageFailure(err: unknown): number {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`${createError('CLI_USAGE', err.message).message}\n${USAGE}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  // Set only for the detached child of `-k start`; it must not reach the Python workers.
  const daemonChild = process.env[DAEMON_CHILD_ENV] === '1';
  delete process.env[DAEMON_CHILD_ENV];
  let cmd;
  try {
    cmd = parseArgs(argv);
  } catch (err) {
    return usageFailure(err);
  }
  switch (cmd.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(cmd.verbose ? verboseVersionText(resolve(process.cwd()), 'conf/httpd.conf') : versionText());
      return 0;
    case 'configtest': {
      const cfg = await load(cmd);
      if (!cfg) return 1;
      process.stderr.write('Syntax OK\n');
      return 0;
    }
    case 'config-json': {
      const cfg = await load(cmd);
      if (!cfg) return 1;
      process.stdout.write(`${JSON.stringify(configToJSON(cfg), null, 2)}\n`);
      return 0;
    }
    case 'dump-vhosts': {
      const cfg = await load(cmd);
      if (!cfg) return 1;
      process.stdout.write(dumpVhosts(cfg));
      return 0;
    }
    case 'serve': {
      const dir = resolve(cmd.dir);
      let configText: string;
      try {
        configText = serveConfigText(dir, cmd.host, cmd.port); // checks DIR (resolved) and host
      } catch (err) {
        return usageFailure(err);
      }
      return runServer({
        configFile: join(dir, '.modpy-serve.conf'),
        configText,
        serverRoot: dir,
        defines: cmd.defines,
        writePidFile: false,
        commandLine: ['modpy', ...argv].join(' '),
      });
    }
    case 'run':
      // The detached child of a start runs the server itself.
      return cmd.foreground || daemonChild ? runConfigured(cmd, argv) : startCommand(cmd, argv);
    case 'signal': {
      if (cmd.action === 'start') return daemonChild ? runConfigured(cmd, argv) : startCommand(cmd, argv);
      const cfg = await load(cmd);
      if (!cfg) return 1;
      if (cmd.action === 'stop' || cmd.action === 'graceful-stop') return stopServer(cfg, drainLimitMs(cfg.gracefulShutdownTimeoutMs) + 15_000);
      return reloadServer(cfg);
    }
  }
}

/** Runs the server of the configuration file in this process, writing its PidFile. */
function runConfigured(cmd: CliOptions, argv: string[]): Promise<number> {
  return runServer({ configFile: configPath(cmd), serverRoot: cmd.serverRoot, defines: cmd.defines, writePidFile: true, commandLine: ['modpy', ...argv].join(' ') });
}

async function startCommand(cmd: CliOptions, argv: string[]): Promise<number> {
  const cfg = await load(cmd);
  if (!cfg) return 1;
  return startDetached(cfg, argv);
}

// Run directly (`node --import tsx src/cli/main.ts …`): bin/modpy.js imports main() instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
