/**
 * @module config/regex — compiles the PCRE regular expressions httpd configurations use into
 * JavaScript RegExps. The common PCRE-only spelling is a leading inline flag group such as
 * `(?i)` (case-insensitive); it becomes a RegExp flag.
 */

/** Compiles `source`; throws the SyntaxError of the RegExp constructor when it is invalid. */
export function compileApacheRegex(source: string, extraFlags = ''): RegExp {
  let flags = extraFlags;
  let body = source;
  const m = /^\(\?([imsx]+)\)/.exec(body);
  if (m) {
    const inline = m[1] as string;
    if (inline.includes('x')) throw new SyntaxError('the (?x) flag is not supported');
    for (const f of inline) if (!flags.includes(f)) flags += f;
    body = body.slice(m[0].length);
  }
  return new RegExp(body, flags);
}
