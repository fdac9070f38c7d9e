/**
 * @module logs/access-entry — the facts about one finished request that the access log can
 * print. The pipeline fills one per request after the response ended.
 */

export interface AccessEntry {
  remoteAddr: string;
  remotePort: number;
  localAddr: string;
  localPort: number;
  /** Authenticated user (req.user); null prints "-". */
  remoteUser: string | null;
  /** "GET /x?y HTTP/1.1" as received. */
  requestLine: string;
  method: string;
  /** URL path without the query string. */
  uri: string;
  /** Query string without the leading "?" ("" when absent). */
  query: string;
  protocol: string;
  /** Final status (%>s). */
  status: number;
  /** Status of the original request before internal redirects (%s, %<s). */
  originalStatus: number;
  /** Response body bytes (%b, %B). */
  bytesSent: number;
  /** Bytes received including the request line and headers (%I). */
  bytesIn: number;
  /** Bytes sent including the status line and headers (%O). */
  bytesOut: number;
  /** Node's req.headers: lower-case names. */
  requestHeaders: Record<string, string | string[] | undefined>;
  responseHeaders: [string, string][];
  /** Parsed Cookie header, if the pipeline already has it (else %C parses the header). */
  cookies?: Record<string, string>;
  /** Request start, ms since the epoch. */
  startTime: number;
  durationUs: number;
  /** The canonical ServerName of the vhost (%v). */
  serverName: string;
  /** The canonical port (%p). */
  canonicalPort: number;
  filename: string | null;
  env: Record<string, string>;
  notes: Record<string, string>;
  pid: number;
  connectionId: number;
  /** Requests already served on this connection before this one (%k). */
  keepAliveCount: number;
  handler: string | null;
  /** %X: X aborted, + may stay open, - will close. */
  connectionStatus: 'X' | '+' | '-';
  /** Reverse-DNS name of the client when HostnameLookups resolved it (%h); else the IP is used. */
  remoteHost?: string | null;
  /** Request log id (%L), if one was assigned. */
  logId?: string;
  /** Thread id for %{tid}P; defaults to pid (Node runs requests on the main thread). */
  tid?: number;
}
