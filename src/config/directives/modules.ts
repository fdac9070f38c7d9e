/**
 * @module config/directives/modules — LoadModule and process-model directives (MPM tuning,
 * User/Group …). modpy runs one Node process with its own Python pools, so these are accepted
 * and documented as no-ops; LoadModule itself is interpreted by the parser (see config/modules).
 */
import { type DirectiveContext, type DirectiveSpec, NOT_HTACCESS, SERVER, accepted, parseGracefulShutdownMs } from './spec.js';

const MPM_NOTE = 'Accepted and ignored: modpy has no MPM; size Python workers with ModpyPool/ModpyPoolDefaults.';

function mpm(name: string): DirectiveSpec {
  return accepted(name, 'mpm', 'take1', SERVER, `${name} number`, 'MPM tuning', MPM_NOTE);
}

const GLOBAL: readonly DirectiveContext[] = SERVER;

/** User/Group: modpy switches no identity, and says so at start-up: a server started as root
 *  to bind port 80 would otherwise run every Python handler as root without a word. */
function unixIdentity(name: 'User' | 'Group', syntax: string, help: string): DirectiveSpec {
  return {
    ...accepted(name, 'mod_unixd', 'take1', GLOBAL, syntax, help, 'Accepted, not applied: modpy runs as the user that starts it, and logs a warning saying so.'),
    apply(t, args, ctx) {
      t.global.warnings.push(`${name} ${args[0] ?? ''} (${ctx.source.file}:${ctx.source.line}) is not applied: modpy and its Python workers run as the user that started it (uid ${process.getuid?.() ?? '?'})`);
    },
  };
}

export const moduleDirectives: DirectiveSpec[] = [
  {
    ...accepted('LoadModule', 'mod_so', 'take2', NOT_HTACCESS, 'LoadModule module filename', 'loads a module', 'Modules modpy implements are always present; others are reported as warnings and stay absent.'),
    default: '—',
  },
  accepted('LoadFile', 'mod_so', 'iterate', GLOBAL, 'LoadFile filename [filename] ...', 'loads a shared library', 'Accepted and ignored.'),
  unixIdentity('User', 'User unix-userid', 'user the server runs as'),
  unixIdentity('Group', 'Group unix-group', 'group the server runs as'),
  accepted('ChrootDir', 'mod_unixd', 'take1', GLOBAL, 'ChrootDir /path', 'chroot directory', 'Accepted and ignored.'),
  ...[
    'StartServers', 'MinSpareServers', 'MaxSpareServers', 'MaxRequestWorkers', 'MaxClients', 'ServerLimit', 'ThreadsPerChild',
    'ThreadLimit', 'MinSpareThreads', 'MaxSpareThreads', 'MaxConnectionsPerChild', 'MaxRequestsPerChild', 'MaxMemFree',
    'ThreadStackSize', 'ListenBacklog', 'AsyncRequestWorkerFactor', 'ScoreBoardFile', 'CoreDumpDirectory',
  ].map(mpm),
  {
    // httpd's own spelling of the drain limit: configurations written for Apache keep their
    // setting. It and ModpyGracefulShutdownTimeout set the same value; the later one wins.
    name: 'GracefulShutdownTimeout',
    module: 'mpm',
    args: 'take1',
    contexts: GLOBAL,
    syntax: 'GracefulShutdownTimeout seconds',
    default: 'GracefulShutdownTimeout 30',
    help: 'how long a graceful stop waits for in-flight requests before killing workers (0 = no limit)',
    differs: 'Apache applies it to graceful-stop only and defaults to 0 (no limit); modpy drains on every stop (SIGTERM, graceful-stop) and, when neither this nor ModpyGracefulShutdownTimeout is set, waits 30 s.',
    apply(t, args, ctx) {
      t.global.gracefulShutdownTimeoutMs = parseGracefulShutdownMs('GracefulShutdownTimeout', args[0] as string, ctx);
    },
  },
];
