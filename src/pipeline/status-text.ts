/**
 * @module pipeline/status-text — Apache's reason phrases and the canned sentence of each error
 * page (http_protocol.c), so status lines and bodies read exactly as Apache 2.4's do.
 * Node's STATUS_CODES differ in places ("Payload Too Large" vs "Request Entity Too Large").
 */

/** Reason phrases Apache 2.4.71 knows (its status table; no 418, 425); a status not listed is sent
 *  as 500 unless req.status_line names it (Apache does the same). */
export const REASONS: Readonly<Record<number, string>> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required',
  408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed',
  413: 'Request Entity Too Large', 414: 'Request-URI Too Long', 415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable', 417: 'Expectation Failed', 421: 'Misdirected Request',
  422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 426: 'Upgrade Required',
  428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
};

/** Apache maps statuses it does not know to 500. */
export function knownStatus(status: number): number {
  return REASONS[status] !== undefined ? status : 500;
}

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Internal Server Error';
}

export interface CannedContext {
  method: string;
  uri: string; // already HTML-escaped by the caller
  location: string | null; // already HTML-escaped
  serverAdmin: string;
}

const INTERNAL_ERROR = (c: CannedContext) =>
  '<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n' +
  `<p>Please contact the server administrator at \n ${c.serverAdmin} to inform them of the time this error occurred,\n` +
  ' and the actions you performed just before this error.</p>\n' +
  '<p>More information about this error may be available\nin the server error log.</p>\n';

const MOVED = (c: CannedContext) => `<p>The document has moved <a href="${c.location ?? ''}">here</a>.</p>\n`;

/** The body sentence(s) per status, between <h1> and the signature. */
const CANNED: Readonly<Record<number, (c: CannedContext) => string>> = {
  300: MOVED, 301: MOVED, 302: MOVED, 307: MOVED, 308: MOVED,
  303: (c) => `<p>The answer to your request is located <a href="${c.location ?? ''}">here</a>.</p>\n`,
  305: (c) => `<p>This resource is only accessible through the proxy\n${c.location ?? ''}<br />\nYou will need to configure your client to use that proxy.</p>\n`,
  400: () => '<p>Your browser sent a request that this server could not understand.<br />\n',
  401: () =>
    '<p>This server could not verify that you\nare authorized to access the document\nrequested.  Either you supplied the wrong\n' +
    "credentials (e.g., bad password), or your\nbrowser doesn't understand how to supply\nthe credentials required.</p>\n",
  403: () => "<p>You don't have permission to access this resource.</p>\n",
  404: () => '<p>The requested URL was not found on this server.</p>\n',
  405: (c) => `<p>The requested method ${c.method} is not allowed for this URL.</p>\n`,
  406: () => '<p>An appropriate representation of the requested resource could not be found on this server.</p>\n',
  408: () => '<p>Server timeout waiting for the HTTP request from the client.</p>\n',
  410: () =>
    '<p>The requested resource is no longer available on this server and there is no forwarding address.\n' +
    'Please remove all references to this resource.</p>\n',
  411: (c) => `<p>A request of the requested method ${c.method} requires a valid Content-length.<br />\n`,
  412: () => '<p>The precondition on the request for this URL evaluated to false.</p>\n',
  413: (c) =>
    `The requested resource does not allow request data with ${c.method} requests, or the amount of data provided in\n` +
    'the request exceeds the capacity limit.\n',
  414: () => "<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n",
  415: () => '<p>The supplied request data is not in a format\nacceptable for processing by this resource.</p>\n',
  416: () =>
    '<p>None of the range-specifier values in the Range\nrequest-header field overlap the current extent\nof the selected resource.</p>\n',
  417: () =>
    '<p>No expectation was seen, the Expect request-header \nfield was not presented by the client.\n' +
    '</p><p>Only the 100-continue expectation is supported.</p>\n',
  422: () =>
    '<p>The server understands the media type of the\nrequest entity, but was unable to process the\ncontained instructions.</p>\n',
  429: () => '<p>The user has sent too many requests\nin a given amount of time.</p>\n',
  431: () => '<p>The server refused this request because\nthe request header fields are too large.</p>\n',
  501: (c) => `<p>${c.method} not supported for current URL.<br />\n`,
  502: () => '<p>The proxy server received an invalid\nresponse from an upstream server.<br />\n',
  503: () =>
    '<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\n' +
    'problems. Please try again later.</p>\n',
  504: () => '<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n',
  507: () =>
    '<p>The method could not be performed on the resource\nbecause the server is unable to store the\n' +
    'representation needed to successfully complete the\nrequest.  There is insufficient free space left in\n' +
    'your storage allocation.</p>\n',
};

/** Statuses whose canned text leaves a paragraph open for the error notes ("<br />\n" + notes + "</p>"). */
export const TAKES_NOTES: ReadonlySet<number> = new Set([400, 411, 414, 501, 502]);

export function cannedText(status: number, c: CannedContext): string {
  const f = CANNED[status] ?? INTERNAL_ERROR;
  return f(c);
}
