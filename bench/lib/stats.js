'use strict';
/** Small statistics for noisy machines: medians and run-to-run spread. */

function sorted(values) {
  return values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
}

function median(values) {
  const s = sorted(values);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The value below which a share `q` (0–1) of the values lie (nearest rank; NaN when empty). */
function quantile(values, q) {
  const s = sorted(values);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** `{median, min, max, spreadPct, n}`; spreadPct = (max − min) / median, in percent. */
function summary(values) {
  const s = sorted(values);
  const m = median(s);
  return { median: m, min: s[0], max: s[s.length - 1], spreadPct: s.length > 1 ? ((s[s.length - 1] - s[0]) / m) * 100 : 0, n: s.length };
}

/** Rotates `items` left by `k` (round k of a rotated schedule). */
function rotate(items, k) {
  const n = items.length;
  const s = ((k % n) + n) % n;
  return items.slice(s).concat(items.slice(0, s));
}

const fmt = {
  num: (v, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a'),
  ratio: (v) => (Number.isFinite(v) ? `${v.toFixed(3)}×` : 'n/a'),
  pct: (v) => (Number.isFinite(v) ? `±${(v / 2).toFixed(1)}%` : 'n/a'),
  mb: (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(1)}` : 'n/a'),
  ms: (v) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a'),
  range: (s, digits = 3) => (s && Number.isFinite(s.min) ? `${s.min.toFixed(digits)}–${s.max.toFixed(digits)}` : 'n/a'),
};

module.exports = { median, quantile, summary, rotate, fmt };
