/**
 * @module config/directives/modules — LoadModule and process-model directives (MPM tuning,
 * User/Group …). modpy runs one Node process with its own Python pools, so these are accepted
 * and documented as no-ops; LoadModule itself is interpreted by the parser (see config/modules).
 */
import { type DirectiveContext, type DirectiveSpec, NOT_HTACCESS, SERVER, accepted } from './spec.js';

const MPM_NOTE = 'Accepted and ignored: modpy has no MPM; size Python workers with ModpyPool/ModpyPoolDefaults.';

function mpm(name: string): DirectiveSpec {
  return accepted(name, 'mpm', 'take1', SERVER, `${name} number`, 'MPM tuning', MPM_NOTE);
}

const GLOBAL: readonly DirectiveContext[] = SERVER;

export const moduleDirectives: DirectiveSpec[] = [
  {
    ...accepted('LoadModule', 'mod_so', 'take2', NOT_HTACCESS, 'LoadModule module filename', 'loads a module', 'Modules modpy implements are always present; others are reported as warnings and stay absent.'),
    default: '—',
  },
  accepted('LoadFile', 'mod_so', 'iterate', GLOBAL, 'LoadFile filename [filename] ...', 'loads a shared library', 'Accepted and ignored.'),
  accepted('User', 'mod_unixd', 'take1', GLOBAL, 'User unix-userid', 'user the server runs as', 'Accepted and ignored: modpy runs as the user that starts it.'),
  accepted('Group', 'mod_unixd', 'take1', GLOBAL, 'Group unix-group', 'group the server runs as', 'Accepted and ignored: modpy runs as the user that starts it.'),
  accepted('ChrootDir', 'mod_unixd', 'take1', GLOBAL, 'ChrootDir /path', 'chroot directory', 'Accepted and ignored.'),
  ...[
    'StartServers', 'MinSpareServers', 'MaxSpareServers', 'MaxRequestWorkers', 'MaxClients', 'ServerLimit', 'ThreadsPerChild',
    'ThreadLimit', 'MinSpareThreads', 'MaxSpareThreads', 'MaxConnectionsPerChild', 'MaxRequestsPerChild', 'MaxMemFree',
    'ThreadStackSize', 'ListenBacklog', 'AsyncRequestWorkerFactor', 'GracefulShutdownTimeout', 'ScoreBoardFile', 'CoreDumpDirectory',
  ].map(mpm),
];
