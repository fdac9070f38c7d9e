/**
 * @module cli/args — turns the command line into one CliCommand. Accepts httpd's flags in any
 * order (`-f FILE`, `-d DIR`, `-k ACTION`, `-D NAME`, `-t`, `-v`, `-V`, `-X`, `-S`, and the
 * glued forms `-fFILE`, `-DNAME`) and the modern sub-commands `serve`, `configtest`, `config`.
 */
export type SignalAction = 'start' | 'stop' | 'restart' | 'graceful' | 'graceful-stop';

export interface CliOptions {
  configFile: string | null; // -f
  serverRoot: string | null; // -d
  defines: string[]; // -D
}

export type CliCommand =
  | ({ kind: 'run'; foreground: boolean } & CliOptions) // no -k: like `httpd` (detaches unless -X/-DFOREGROUND)
  | ({ kind: 'signal'; action: SignalAction } & CliOptions)
  | ({ kind: 'configtest' } & CliOptions)
  | ({ kind: 'dump-vhosts' } & CliOptions) // -S
  | ({ kind: 'config-json' } & CliOptions)
  | { kind: 'version'; verbose: boolean } // -v / -V
  | { kind: 'serve'; dir: string; port: number; host: string; defines: string[] }
  | { kind: 'help' };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const ACTIONS: readonly SignalAction[] = ['start', 'stop', 'restart', 'graceful', 'graceful-stop'];

export const USAGE = `Usage: modpy [-D name] [-d directory] [-f file] [-k start|restart|graceful|graceful-stop|stop]
             [-v] [-V] [-t] [-S] [-X]
       modpy serve [DIR] [--port N] [--host H]
       modpy configtest [-f file] [-d directory] [-D name]
       modpy config --json [-f file] [-d directory] [-D name]
Options:
  -D name            : define a name for use in <IfDefine name> directives
  -d directory       : specify an alternate initial ServerRoot
  -f file            : specify an alternate ServerConfigFile
  -k action          : start, stop, restart (= graceful), graceful, graceful-stop
  -v                 : show version number
  -V                 : show compile settings
  -t                 : run syntax check for config files
  -S                 : show parsed vhost settings
  -X                 : debug mode (foreground, single process)
  -DFOREGROUND       : stay in the foreground`;

/** Parses argv (without node and the script). Throws UsageError for bad input. */
export function parseArgs(argv: readonly string[]): CliCommand {
  const first = argv[0];
  if (first === 'serve') return parseServe(argv.slice(1));
  if (first === 'help' || first === '--help' || first === '-h') return { kind: 'help' };
  let sub: 'configtest' | 'config' | null = null;
  let rest = argv;
  if (first === 'configtest' || first === 'config') {
    sub = first;
    rest = argv.slice(1);
  }
  const opts: CliOptions = { configFile: null, serverRoot: null, defines: [] };
  let action: SignalAction | null = null;
  let test = false;
  let version: 'v' | 'V' | null = null;
  let foreground = false;
  let dumpVhosts = false;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    // Flags taking a value accept both "-f file" and "-ffile".
    const valued = /^-([fdkD])(.*)$/.exec(a);
    if (valued) {
      const flag = valued[1] as string;
      let value = valued[2] as string;
      if (value === '') {
        const next = rest[i + 1];
        if (next === undefined) throw new UsageError(`option -${flag} requires an argument`);
        value = next;
        i++;
      }
      if (flag === 'f') opts.configFile = value;
      else if (flag === 'd') opts.serverRoot = value;
      else if (flag === 'D') {
        opts.defines.push(value);
        if (value === 'FOREGROUND' || value === 'NO_DETACH' || value === 'ONE_PROCESS') foreground = true;
      } else {
        if (!(ACTIONS as readonly string[]).includes(value))
          throw new UsageError(`unknown -k action '${value}' (use one of: ${ACTIONS.join(', ')})`);
        action = value as SignalAction;
      }
      continue;
    }
    switch (a) {
      case '-t':
        test = true;
        break;
      case '-v':
        version = 'v';
        break;
      case '-V':
        version = 'V';
        break;
      case '-X':
        foreground = true;
        opts.defines.push('ONE_PROCESS');
        break;
      case '-S':
        dumpVhosts = true;
        break;
      case '--json':
        json = true;
        break;
      default:
        throw new UsageError(`unknown option '${a}'`);
    }
  }
  if (version) return { kind: 'version', verbose: version === 'V' };
  if (sub === 'config') {
    if (!json) throw new UsageError("'modpy config' needs --json");
    return { kind: 'config-json', ...opts };
  }
  if (json) throw new UsageError('--json is only valid with `modpy config`');
  if (sub === 'configtest' || test) return { kind: 'configtest', ...opts };
  if (dumpVhosts) return { kind: 'dump-vhosts', ...opts };
  if (action && action !== 'start') return { kind: 'signal', action, ...opts };
  if (action === 'start' && !foreground) return { kind: 'signal', action, ...opts };
  return { kind: 'run', foreground, ...opts };
}

function parseServe(argv: readonly string[]): CliCommand {
  let dir: string | null = null;
  let port = 8000;
  let host = '127.0.0.1';
  const defines: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = /^(--port|--host)=(.*)$/.exec(a);
    const name = eq ? eq[1] : a;
    const takeValue = (): string => {
      if (eq) return eq[2] as string;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} requires a value`);
      return v;
    };
    if (name === '--port' || name === '-p') {
      const v = takeValue();
      port = Number(v);
      if (!/^\d+$/.test(v) || port > 65535) throw new UsageError(`--port must be a number 0-65535, got '${v}'`);
    } else if (name === '--host') {
      host = takeValue();
    } else if (a.startsWith('-D') && a.length > 2) {
      defines.push(a.slice(2));
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option '${a}' for serve (use --port N, --host H)`);
    } else if (dir === null) {
      dir = a;
    } else {
      throw new UsageError(`serve takes one directory, got '${dir}' and '${a}'`);
    }
  }
  // DIR and --host are checked where they are written into the configuration text
  // (cli/serve-config), which also sees DIR resolved against the current directory.
  return { kind: 'serve', dir: dir ?? '.', port, host, defines };
}
