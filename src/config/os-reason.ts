/**
 * @module config/os-reason — the strerror() wording httpd prints when a file cannot be read.
 */

/** The strerror() text httpd prints for the usual failures. */
export function osReason(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    default:
      return (err as Error).message;
  }
}
