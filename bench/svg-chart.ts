/**
 * @module bench/svg-chart — a small hand-written SVG bar chart (no dependencies): one block
 * per scenario, one column per connection count, one bar per server, each block scaled to
 * its own fastest server (req/s differ 500-fold between scenarios).
 */

export interface Bar {
  label: string;
  value: number;
  highlight: boolean;
  /** Shown instead of the value when the server has no number for this cell (why not). */
  note?: string;
}

export interface Cell {
  title: string; // "c32"
  bars: Bar[];
}

export interface Block {
  title: string; // scenario
  cells: Cell[];
}

const BAR_H = 16;
const GAP = 4;
const HEAD = 22;
const COL_W = 500;
const LABEL_W = 245;
const BAR_MAX = 170;
const MARGIN = 16;

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function cellSvg(cell: Cell, x: number, y: number): string[] {
  const out: string[] = [`<text x="${x}" y="${y + 14}" class="cell">${escapeXml(cell.title)}</text>`];
  const max = Math.max(...cell.bars.map((b) => b.value), 1);
  cell.bars.forEach((b, i) => {
    const top = y + HEAD + i * (BAR_H + GAP);
    const w = b.note === undefined ? Math.max(1, (b.value / max) * BAR_MAX) : 0;
    const cls = b.highlight ? 'bar me' : 'bar';
    out.push(
      `<text x="${x + LABEL_W - 6}" y="${top + 12}" class="label" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${x + LABEL_W}" y="${top}" width="${w.toFixed(1)}" height="${BAR_H}" class="${cls}"/>`,
      `<text x="${x + LABEL_W + w + 4}" y="${top + 12}" class="value">${b.note === undefined ? fmt(b.value) : escapeXml(b.note)}</text>`,
    );
  });
  return out;
}

/** The whole chart as an SVG document. */
export function barChartSvg(title: string, subtitle: string, blocks: readonly Block[]): string {
  const columns = Math.max(1, ...blocks.map((b) => b.cells.length));
  const width = MARGIN * 2 + columns * COL_W;
  const body: string[] = [];
  let y = MARGIN + 48;
  for (const block of blocks) {
    body.push(`<text x="${MARGIN}" y="${y + 14}" class="block">${escapeXml(block.title)}</text>`);
    y += 20;
    const rows = Math.max(0, ...block.cells.map((c) => c.bars.length));
    block.cells.forEach((cell, i) => body.push(...cellSvg(cell, MARGIN + i * COL_W, y)));
    y += HEAD + rows * (BAR_H + GAP) + 14;
  }
  const height = y + MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    '<style>',
    '.title{font-size:18px;font-weight:bold} .sub{font-size:12px;fill:#555} .block{font-size:14px;font-weight:bold}',
    '.cell{font-size:12px;fill:#333;font-style:italic} .label{font-size:11px;fill:#222} .value{font-size:11px;fill:#222}',
    '.bar{fill:#9aa5b1} .me{fill:#d9480f}',
    '</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${MARGIN}" y="${MARGIN + 16}" class="title">${escapeXml(title)}</text>`,
    `<text x="${MARGIN}" y="${MARGIN + 36}" class="sub">${escapeXml(subtitle)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
