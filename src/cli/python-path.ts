/**
 * @module cli/python-path — which file a Python command name runs (a PATH search, as the
 * worker spawn will do), for the start-up log line: "python3" alone says too little when a
 * pyenv shim or a venv decides.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export function resolvePython(command: string, pathVar = process.env.PATH ?? ''): string {
  if (isAbsolute(command) || command.includes('/')) return command;
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return `${command} (not found on PATH)`;
}
