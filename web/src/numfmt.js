// Number parsing and formatting. Values live as float32 (what the WASM core computes with).

export const f32 = Math.fround;

// The shortest decimal string that parses back to the same float32 (for URLs and editing).
export function shortF32(v) {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return '0';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  const t = f32(v);
  for (let p = 1; p <= 9; p++) {
    const n = Number(t.toPrecision(p));
    if (f32(n) === t) return String(n);
  }
  return String(t);
}

// The exact float as JS prints it (data-value hooks).
export const exact = (v) => String(f32(v));

// Compact display for a cell: at most ~6 characters.
export function display(v) {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  let out;
  if (Number.isInteger(v) && a < 1e5) out = String(v);
  else if (a >= 1e5 || a < 1e-3) out = trimExp(v.toExponential(1));
  else if (a >= 100) out = String(Math.round(v * 10) / 10);
  else out = String(Number(v.toPrecision(4)));
  return v < 0 ? '−' + out.slice(1) : out;
}

function trimExp(s) {
  return s.replace(/\.0e/, 'e').replace('e+', 'e');
}

// Longer but still readable (formula lines, tooltips).
export function displayLong(v) {
  if (!Number.isFinite(v)) return display(v);
  const s = shortF32(v);
  if (s.length <= 10) return s.replace(/^-/, '−');
  return String(Number(v.toPrecision(6))).replace(/^-/, '−');
}

const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

// Parse one number as typed or pasted; returns undefined when it is not a number.
const PLAIN_RE = /^-?\d+(\.\d+)?$/;

export function parseNum(str) {
  // The common case first (a plain decimal, as URLs and pastes mostly hold): a link of 65,536
  // numbers is parsed in its first task.
  if (PLAIN_RE.test(str)) return f32(Number(str));
  let s = String(str).trim().replace(/[\u2212\u2013]/g, '-').replace(/_/g, '');
  if (s === '') return undefined;
  const low = s.toLowerCase();
  if (/^[+]?(inf|infinity)$/.test(low)) return Infinity;
  if (/^-(inf|infinity)$/.test(low)) return -Infinity;
  if (/^[+-]?nan$/.test(low)) return NaN;
  if (!NUM_RE.test(s)) return undefined;
  return f32(Number(s));
}

// A non-negative or signed integer parameter; undefined when not an integer.
export function parseInt10(str) {
  const s = String(str).trim().replace(/\u2212/g, '-');
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  return Number(s);
}

// 65536 -> "65,536". Not toLocaleString('en'): its first call sets up Intl, 23 ms of one task
// (measured in Chromium; it made the first frame of a huge output 70-100 ms).
export function groupDigits(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
