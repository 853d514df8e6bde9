// The pure parts of figure export (web/src/figure-paint.js): reading Chromium's computed values
// (colours, box shadows, gradients) into SVG markup. The whole export is tested in the browser
// (tests/browser/figure-export.test.mjs); these pin the parsing that it relies on.
// Run: node --test tests/node/figure-paint.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseColour, fillAttrs, parseShadows, splitTop, gradientDef, roundRectPath, esc, outerShadows, borders } from '../../web/src/figure-paint.js';

test('colours: rgb(), rgba() (comma and slash forms), transparent', () => {
  assert.deepEqual(parseColour('rgb(31, 95, 180)'), { hex: '#1f5fb4', a: 1 });
  assert.deepEqual(parseColour('rgba(122, 31, 162, 0.16)'), { hex: '#7a1fa2', a: 0.16 });
  assert.deepEqual(parseColour('rgb(122 31 162 / 50%)'), { hex: '#7a1fa2', a: 0.5 });
  assert.equal(parseColour('rgba(0, 0, 0, 0)').a, 0);
  assert.equal(parseColour('transparent').a, 0);
  assert.equal(fillAttrs('rgba(0, 0, 0, 0)'), null, 'nothing drawn for a transparent colour');
  assert.equal(fillAttrs('rgb(255, 255, 255)'), 'fill="#ffffff"');
  assert.equal(fillAttrs('rgba(255, 0, 0, 0.5)', 0.5, 'stroke'), 'stroke="#ff0000" stroke-opacity="0.25"');
});

test('box shadows as Chromium computes them: the highlight rings, inset lines', () => {
  const hl = parseShadows('rgb(255, 255, 255) 0px 0px 0px 2px, rgb(122, 31, 162) 0px 0px 0px 4px');
  assert.deepEqual(hl.map((s) => [s.colour, s.spread, s.inset]), [['rgb(255, 255, 255)', 2, false], ['rgb(122, 31, 162)', 4, false]]);
  const inset = parseShadows('rgb(122, 31, 162) 0px 0px 0px 1px inset');
  assert.deepEqual(inset.map((s) => [s.spread, s.inset]), [[1, true]]);
  assert.deepEqual(parseShadows('none'), []);
  assert.deepEqual(splitTop('rgb(1, 2, 3) 0px, rgba(4, 5, 6, 0.5) 1px'), ['rgb(1, 2, 3) 0px', 'rgba(4, 5, 6, 0.5) 1px']);
  // Rings are drawn around the box (even-odd), the last shadow first (the first one on top).
  const cs = { boxShadow: 'rgb(255, 255, 255) 0px 0px 0px 2px, rgb(122, 31, 162) 0px 0px 0px 4px', borderTopLeftRadius: '5px' };
  const parts = outerShadows(cs, { x: 10, y: 10, w: 46, h: 46 }, 1);
  assert.equal(parts.length, 2);
  assert.match(parts[0], /fill="#7a1fa2"/);
  assert.match(parts[1], /fill="#ffffff"/);
  assert.ok(parts.every((p) => p.includes('fill-rule="evenodd"')));
});

test('the legend gradient becomes a <linearGradient> with evenly spaced stops', () => {
  const def = gradientDef('linear-gradient(to right, rgb(79, 134, 207), rgb(246, 246, 244), rgb(222, 130, 54))', 'g0');
  assert.match(def, /^<linearGradient id="g0" x1="0" y1="0" x2="1" y2="0">/);
  assert.deepEqual([...def.matchAll(/offset="([^"]+)" stop-color="([^"]+)"/g)].map((m) => [m[1], m[2]]), [['0%', '#4f86cf'], ['50%', '#f6f6f4'], ['100%', '#de8236']]);
  assert.equal(gradientDef('linear-gradient(33deg, red, blue)', 'g1'), null, 'an angle it cannot place is left out');
});

test('borders: one dashed rounded rectangle when the sides agree, lines when they do not', () => {
  const side = (w, style, colour) => Object.fromEntries(['Top', 'Right', 'Bottom', 'Left'].flatMap((s) => [[`border${s}Width`, w], [`border${s}Style`, style], [`border${s}Color`, colour]]));
  const ghost = borders({ ...side('1.5px', 'dashed', 'rgb(138, 148, 163)'), borderTopLeftRadius: '5px' }, { x: 0, y: 0, w: 46, h: 46 }, 1);
  assert.equal(ghost.length, 1);
  assert.match(ghost[0], /^<rect x="0.75" y="0.75" width="44.5" height="44.5" rx="4.25" fill="none" stroke="#8a94a3" stroke-width="1.5" stroke-dasharray="4.5 3"\/>$/);
  const frac = borders({ ...side('0px', 'none', 'rgb(0, 0, 0)'), borderBottomWidth: '1.5px', borderBottomStyle: 'solid', borderBottomColor: 'rgb(27, 33, 41)', borderTopLeftRadius: '0px' }, { x: 0, y: 0, w: 20, h: 10 }, 1);
  assert.deepEqual(frac, ['<line x1="0" y1="9.25" x2="20" y2="9.25" stroke="#1b2129" stroke-width="1.5"/>']);
});

test('markup helpers: escaping, rounded rectangle paths', () => {
  assert.equal(esc('<a & "b">'), '&lt;a &amp; &quot;b&quot;&gt;');
  assert.equal(roundRectPath(0, 0, 10, 10, 0), 'M0 0h10v10h-10Z');
  assert.match(roundRectPath(0, 0, 10, 4, 5), /a2 2 /, 'the radius is clamped to half the shorter side');
});
