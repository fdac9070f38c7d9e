import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChartSvg, escapeXml } from '../../../bench/svg-chart.js';

void test('escapeXml makes labels safe inside SVG text', () => {
  assert.equal(escapeXml('a<b & "c"'), 'a&lt;b &amp; &quot;c&quot;');
});

void test('bars are scaled to the fastest server of their own cell, and modpy is highlighted', () => {
  const svg = barChartSvg('t', 's', [
    { title: 'hello', cells: [{ title: 'c32', bars: [{ label: 'modpy', value: 50, highlight: true }, { label: 'peer', value: 100, highlight: false }] }] },
    { title: 'big', cells: [{ title: 'c32', bars: [{ label: 'modpy', value: 3, highlight: true }] }] },
  ]);
  const widths = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"[^>]*class="([^"]+)"/g)].map((m) => [Number(m[1]), m[2]]);
  assert.deepEqual(widths, [[85, 'bar me'], [170, 'bar'], [170, 'bar me']]);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, />100<\/text>/);
});

void test('a bar without numbers shows why instead of a value', () => {
  const svg = barChartSvg('t', 's', [{ title: 'echo', cells: [{ title: 'c1', bars: [{ label: 'modpy', value: 0, highlight: true, note: 'no numbers: wrong response' }] }] }]);
  assert.match(svg, /width="0.0"/);
  assert.match(svg, />no numbers: wrong response<\/text>/);
});
