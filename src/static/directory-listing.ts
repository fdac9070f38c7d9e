/**
 * @module static/directory-listing — the HTML index mod_autoindex produces without
 * FancyIndexing (Options Indexes): a plain list with "Parent Directory", names sorted, directories
 * with a trailing slash.
 */
import { readdir } from 'node:fs/promises';
import { escapeHtml } from '../pipeline/error-pages.js';

export const LISTING_CONTENT_TYPE = 'text/html;charset=ISO-8859-1';

function escapeHref(name: string): string {
  return encodeURIComponent(name).replace(/%2F/g, '/');
}

/** Builds the listing page for the directory `dirPath` served at `uri` (ends with "/"). */
export async function renderListing(dirPath: string, uri: string, signature: string): Promise<string> {
  const entries = await readdir(dirPath, { withFileTypes: true });
  const names = entries
    .filter((e) => !e.name.startsWith('.ht'))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
  const title = uri.length > 1 ? uri.replace(/\/+$/, '') : uri;
  let html =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n' +
    `<html>\n <head>\n  <title>Index of ${escapeHtml(title)}</title>\n </head>\n <body>\n` +
    `<h1>Index of ${escapeHtml(title)}</h1>\n<ul>`;
  if (uri !== '/') {
    const parent = title.slice(0, title.lastIndexOf('/') + 1) || '/';
    html += `<li><a href="${escapeHref(parent)}"> Parent Directory</a></li>\n`;
  }
  for (const n of names) html += `<li><a href="${escapeHref(n)}"> ${escapeHtml(n)}</a></li>\n`;
  html += `</ul>\n${signature}</body></html>\n`;
  return html;
}
