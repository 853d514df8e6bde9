// Image mode: the current op applied to a real photo (the bundled sample, or a file the user
// opens or drops: it is read locally and never uploaded). Per channel (depthwise, groups=3,
// kernel w[0,0] on R, G and B) or full channel mixing (the page's 3→3 weights, or k/3 on every
// channel pair). One-click demos set the page's kernel and parameters. The work runs in a Worker
// (dist/image-worker.js) over http(s); from file:// Chromium refuses workers, so it runs on the
// main thread one output channel at a time, yielding between channels.

import { h, clear } from '../dom.js';
import { options, convPads } from '../state.js';
import { t } from '../i18n.js';
import { groupDigits } from '../numfmt.js';

const MAX_SIDE = 512;
// Jobs up to this many multiply-adds run at once on the main thread (a 3×3 kernel on a 512×512
// RGB image is 7M, about 5 ms of WebAssembly plus 4 ms to draw: within a frame); larger ones go
// to the worker (or, without one, to the main thread in per-channel chunks).
const SYNC_MACS = 8e6;
// Output pictures up to this many pixels are computed and drawn (1024×1024); a padding of 1000
// around the photo made a 2451×2300 picture, 17 M values and a 190 ms task.
const MAX_OUTPUT_PIXELS = 2 ** 20;

function sampleUrl() {
  return new Promise((resolve, reject) => {
    if (window.CONVPLAY_SAMPLE) { resolve(window.CONVPLAY_SAMPLE); return; }
    const s = document.createElement('script');
    s.src = 'assets/chelsea.js';
    s.onload = () => (window.CONVPLAY_SAMPLE ? resolve(window.CONVPLAY_SAMPLE) : reject(new Error('sample missing')));
    s.onerror = () => reject(new Error('assets/chelsea.js did not load'));
    document.head.appendChild(s);
  });
}

// Image (or bitmap) -> {w, h, data: Float32Array [3, h, w] in 0..1}, scaled to fit maxSide.
function toTensor(img, scale = 1) {
  const iw = img.naturalWidth || img.width, ih = img.naturalHeight || img.height;
  const fit = Math.min(1, MAX_SIDE / Math.max(iw, ih));
  const w = Math.max(1, Math.floor(iw * fit * scale)), hh = Math.max(1, Math.floor(ih * fit * scale));
  const cv = document.createElement('canvas');
  cv.width = w; cv.height = hh;
  const ctx = cv.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(img, 0, 0, w, hh);
  const px = ctx.getImageData(0, 0, w, hh).data;
  const n = w * hh, data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) { data[i] = px[4 * i] / 255; data[n + i] = px[4 * i + 1] / 255; data[2 * n + i] = px[4 * i + 2] / 255; }
  return { w, h: hh, data };
}

// Float [C, H, W] (C = 1 or 3) -> the canvas. Uint8ClampedArray clamps and rounds by itself;
// the ImageData is reused while the size stays.
function drawTensor(canvas, t3, H, W, display) {
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; canvas._img = null; }
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const img = canvas._img || (canvas._img = ctx.createImageData(W, H));
  const n = W * H, px = img.data;
  const C = t3.length / n;
  const r = t3.subarray(0, n), g = t3.subarray(C === 1 ? 0 : n, C === 1 ? n : 2 * n), b = t3.subarray(C === 1 ? 0 : 2 * n, C === 1 ? n : 3 * n);
  if (display === 'abs') {
    for (let i = 0, j = 0; i < n; i++, j += 4) { px[j] = Math.abs(r[i]) * 255; px[j + 1] = Math.abs(g[i]) * 255; px[j + 2] = Math.abs(b[i]) * 255; px[j + 3] = 255; }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 4) { px[j] = r[i] * 255; px[j + 1] = g[i] * 255; px[j + 2] = b[i] * 255; px[j + 3] = 255; }
  }
  ctx.putImageData(img, 0, 0);
}

export class ImageMode {
  // ctx: { cp, model, dispatch } (page.js)
  constructor(ctx) {
    this.ctx = ctx;
    this.src = null;       // the loaded image element / bitmap
    this.srcName = '';
    this.channels = 'depthwise';
    this.override = null;  // FCN demo: a kernel larger than the page allows
    this.job = 0;
    this.worker = null;
    // One worker job at a time: while one is in flight, only the newest edit waits (older
    // waiting jobs are dropped unseen), and a result for anything but the newest job is not
    // drawn. Counters for tests: jobs posted to the worker, waiting jobs dropped, stale results.
    this.inFlight = null;
    this.queued = null;
    this.stats = { posted: 0, dropped: 0, stale: 0 };
    this.workerFailed = location.protocol === 'file:';
    this.inCanvas = h('canvas', { class: 'img-canvas', 'data-testid': 'image-input', role: 'img', 'aria-label': t('input image') });
    this.outCanvas = h('canvas', { class: 'img-canvas', 'data-testid': 'image-output', role: 'img', 'aria-label': t('output image') });
    this.status = h('p', { class: 'muted', 'data-testid': 'image-status', 'aria-live': 'polite' });
    this.note = h('p', { class: 'muted small', 'data-testid': 'image-note' });
    const file = h('input', { type: 'file', accept: 'image/*', 'data-testid': 'image-file', class: 'sr-only', id: 'img-file' });
    file.addEventListener('change', () => { if (file.files[0]) this.loadFile(file.files[0]); });
    this.fileInput = file;
    const chSel = h('select', { 'data-testid': 'image-channels', 'aria-label': t('channels') },
      h('option', { value: 'depthwise' }, t('per channel (groups=3)')), h('option', { value: 'mix' }, t('mix channels')));
    chSel.addEventListener('change', () => { this.channels = chSel.value; this.run(); });
    const demo = (id, label) => h('button', { type: 'button', class: 'chip', 'data-testid': `image-demo-${id}`, onclick: () => this.demo(id) }, label);
    this.drop = h('div', { class: 'img-pair', 'data-testid': 'image-drop' },
      h('figure', null, this.inCap = h('figcaption', { 'data-testid': 'image-in-caption' }, t('input')), this.inCanvas),
      h('figure', null, this.outCap = h('figcaption', { 'data-testid': 'image-out-caption' }, t('output')), this.outCanvas));
    this.drop.addEventListener('dragover', (e) => { e.preventDefault(); this.drop.classList.add('over'); });
    this.drop.addEventListener('dragleave', () => this.drop.classList.remove('over'));
    this.drop.addEventListener('drop', (e) => { e.preventDefault(); this.drop.classList.remove('over'); const f = e.dataTransfer.files[0]; if (f) this.loadFile(f); });
    this.body = h('div', { class: 'image-body' },
      h('div', { class: 'img-tools' },
        h('button', { type: 'button', class: 'btn', 'data-testid': 'image-sample', onclick: () => this.loadSample() }, t('Sample photo')),
        h('label', { class: 'btn', for: 'img-file' }, t('Open an image…')), file,
        h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, t('channels')), chSel)),
      h('div', { class: 'chips' }, h('span', { class: 'muted small' }, t('Demos:')),
        demo('blur', t('blur')), demo('edges', t('edges')), demo('sharpen', t('sharpen')), demo('up2', t('×2 bilinear upsampling')), demo('fcn32', t('FCN ×32 upsampling'))),
      this.drop, this.status, this.note,
      h('p', { class: 'muted small' }, t('Drop an image on the pictures or open one: it is read in this browser and never uploaded. Sample photo: “Chelsea the cat” by Stefan van der Walt, CC0 (scikit-image sample data).')));
    this.details = h('details', { class: 'panel image-panel', 'data-testid': 'image-mode' },
      h('summary', null, h('h2', null, t('Image mode: apply the op to a photo'))), this.body);
    this.details.addEventListener('toggle', () => { if (this.details.open) { if (!this.src) this.loadSample(); else this.run(); } });
  }

  async loadSample() {
    try {
      const url = await sampleUrl();
      const img = new Image();
      img.src = url;
      await img.decode();
      this.src = img; this.srcName = t('sample photo');
      this.run();
    } catch (e) { this.status.textContent = e.message; }
  }

  async loadFile(f) {
    try {
      const bmp = await createImageBitmap(f);
      this.src = bmp; this.srcName = f.name;
      this.run();
    } catch (e) { this.status.textContent = t('Could not read that image: {m}', { m: e.message }); }
  }

  demo(id) {
    const app = this.ctx, cp = app.cp;
    this.override = null;
    if (id === 'fcn32') {
      // k=64 is beyond the page's kernel limit: image mode keeps it to itself.
      this.override = { op: 'conv_transpose2d', k: 64, stride: 32, padding: 16, kernel: Array.from(cp.bilinearKernel(1, 1, 64).data) };
      this.run();
      return;
    }
    app.dispatch('imageDemo', { id, bilinear4: id === 'up2' ? Array.from(cp.bilinearKernel(1, 1, 4).data) : null }, `image-demo-${id}`);
  }

  // The op, weights and options for a 3-channel image, from the page state (or the override).
  config() {
    const s = this.ctx.model.state, r = this.ctx.model.result;
    if (this.override) {
      const o = this.override, kk = o.k * o.k;
      const w = new Float32Array(3 * kk);
      for (let c = 0; c < 3; c++) w.set(o.kernel, c * kk);
      return { op: o.op, w: { shape: [3, 1, o.k, o.k], data: w }, b: null, opts: { stride: o.stride, padding: o.padding, groups: 3 }, scale: 1 / o.stride,
        label: t('conv_transpose2d, bilinear kernel 64×64, stride 32, padding 16 (FCN ×32), per channel') };
    }
    if (!r.ok) return null;
    const conv = s.op === 'conv2d';
    const kk = s.kh * s.kw;
    const k0 = r.w.data.subarray(0, kk);
    let w, groups, b = null;
    if (this.channels === 'mix' && s.C === 3 && s.K === 3) {
      w = r.w; groups = s.groups; b = r.b;
    } else if (this.channels === 'mix') {
      const d = new Float32Array(9 * kk);
      for (let p = 0; p < 9; p++) for (let q = 0; q < kk; q++) d[p * kk + q] = k0[q] / 3;
      w = { shape: [3, 3, s.kh, s.kw], data: d }; groups = 1;
    } else {
      const d = new Float32Array(3 * kk);
      for (let c = 0; c < 3; c++) d.set(k0, c * kk);
      w = { shape: [3, 1, s.kh, s.kw], data: d }; groups = 3;
      if (s.useBias) b = { shape: [3], data: new Float32Array(3).fill(s.bias[0]) };
    }
    const opts = { ...options(s), groups };
    // conv_transpose2d enlarges by the stride: shrink the photo first so the result is photo-sized.
    const scale = conv ? 1 : 1 / Math.max(s.stride[0], s.stride[1]);
    const mixNote = this.channels === 'mix' ? (s.C === 3 && s.K === 3 ? t('the page’s 3→3 weights') : t('k/3 on every channel pair (the page is not 3→3)')) : t('kernel w[0,0] on each channel');
    const pads = conv ? convPads(s) : null;
    void pads;
    return { op: s.op, w, b, opts, scale, label: `${s.op}, ${s.kh}×${s.kw}, stride ${s.stride.join(',')}, ${mixNote}` };
  }

  // Called after every page render; cheap when the panel is closed.
  render() {
    if (!this.details.open || !this.src) return;
    this.run();
  }

  run() {
    if (!this.src) return;
    this.runStart = performance.now();
    const cfg = this.config();
    if (!cfg) { this.status.textContent = t('Needs a valid configuration.'); return; }
    const key = `${cfg.scale}|${this.src === this.lastSrc}`;
    if (!this.input || this.inputKey !== key || this.lastSrc !== this.src) {
      this.input = toTensor(this.src, cfg.scale);
      this.inputKey = `${cfg.scale}|true`;
      this.lastSrc = this.src;
      drawTensor(this.inCanvas, this.input.data, this.input.h, this.input.w, 'clamp');
    }
    const kernelSum = cfg.w.data.slice(0, cfg.w.shape[2] * cfg.w.shape[3]).reduce((a, v) => a + v, 0);
    const display = Math.abs(kernelSum) < 1e-3 ? 'abs' : 'clamp';
    const id = ++this.job;
    const t0 = performance.now();
    const cp = this.ctx.cp;
    const check = cfg.op === 'conv2d' ? cp.conv2dOutputShape([3, this.input.h, this.input.w], cfg.w.shape, cfg.opts, cfg.b ? cfg.b.shape : null)
      : cp.convTranspose2dOutputShape([3, this.input.h, this.input.w], cfg.w.shape, cfg.opts, cfg.b ? cfg.b.shape : null);
    if (check.ok && check.shape[1] * check.shape[2] > MAX_OUTPUT_PIXELS) {
      this.status.textContent = t('The output picture would be {w}×{h}: too large to show here (up to {n} pixels).',
        { w: check.shape[2], h: check.shape[1], n: groupDigits(MAX_OUTPUT_PIXELS) });
      return;
    }
    const job = { id, op: cfg.op, x: { shape: [3, this.input.h, this.input.w], data: this.input.data }, w: cfg.w, b: cfg.b, opts: cfg.opts };
    const done = (y, where) => {
      if (id !== this.job) { this.stats.stale++; return; } // a newer edit superseded this one
      const [, OH, OW] = y.shape;
      drawTensor(this.outCanvas, y.data, OH, OW, display);
      this.scaleCanvases(OW, OH);
      const ms = performance.now() - t0;
      this.lastMs = ms;
      this.lastRunMs = performance.now() - this.runStart; // sync path: the whole re-render
      this.status.textContent = t('{name}: {iw}×{ih} → {ow}×{oh} · {label} · {ms} ms ({where})',
        { name: this.srcName, iw: this.input.w, ih: this.input.h, ow: OW, oh: OH, label: cfg.label, ms: ms.toFixed(1), where });
      this.inCap.textContent = t('input {w}×{h}', { w: this.input.w, h: this.input.h });
      this.outCap.textContent = t('output {w}×{h} (same scale)', { w: OW, h: OH });
      this.outCanvas.dataset.width = String(OW); this.outCanvas.dataset.height = String(OH);
      this.inCanvas.dataset.width = String(this.input.w); this.inCanvas.dataset.height = String(this.input.h);
      this.outCanvas.dataset.job = String(id);
      this.outCanvas.dataset.display = display;
    };
    const fail = (e) => { if (id === this.job) this.status.textContent = e.message || String(e); };
    // Multiply-adds: conv2d, per output pixel every tap of its group; conv_transpose2d, per input
    // pixel its whole kernel for every output channel of its group.
    const [A, B, kh, kw] = cfg.w.shape;
    const px = this.input.w * this.input.h;
    const macs = A * B * kh * kw * px;
    this.lastMacs = macs;
    if (macs <= SYNC_MACS) {
      try {
        const y = cfg.op === 'conv2d' ? cp.conv2d(job.x, job.w, job.b, job.opts) : cp.convTranspose2d(job.x, job.w, job.b, job.opts);
        done(y, t('main thread'));
      } catch (e) { fail(e); }
      return;
    }
    if (!this.workerFailed && typeof Worker !== 'undefined') {
      try {
        if (!this.worker) {
          this.worker = new Worker('image-worker.js');
          this.worker.onmessage = (e) => {
            const p = this.inFlight;
            this.inFlight = null;
            if (p && p.job.id === e.data.id) {
              if (e.data.error) p.fail(new Error(e.data.error)); else p.done({ shape: e.data.shape, data: e.data.data }, t('worker'));
            }
            const q = this.queued;
            this.queued = null;
            if (q && q.job.id === this.job) this.post(q); else if (q) this.stats.dropped++;
          };
          this.worker.onerror = (e) => {
            e.preventDefault?.();
            this.workerFailed = true; this.worker = null;
            this.note.textContent = t('Workers are not available here: computing on the main thread.');
            const p = this.queued || this.inFlight;
            this.queued = null; this.inFlight = null;
            if (p) this.runMain(p.job, p.done, p.fail);
          };
        }
        const entry = { job, done, fail };
        if (this.inFlight) {
          if (this.queued) this.stats.dropped++;
          this.queued = entry;
        } else this.post(entry);
        this.note.textContent = '';
        return;
      } catch {
        this.workerFailed = true;
      }
    }
    if (location.protocol === 'file:') this.note.textContent = t('Opened from file://: the browser allows no Web Worker here, so the image is computed on the main thread, one channel at a time with pauses in between (serve the folder over http for a worker).');
    this.runMain(job, done, fail);
  }

  post(entry) {
    this.inFlight = entry;
    this.stats.posted++;
    this.worker.postMessage(entry.job);
  }

  // Main thread, one output channel per task.
  runMain(job, done, fail) {
    const cp = this.ctx.cp;
    const [C, H, W] = job.x.shape;
    const [K, Cg, kh, kw] = job.op === 'conv2d' ? job.w.shape : [job.w.shape[1] * (job.opts.groups || 1), job.w.shape[1], job.w.shape[2], job.w.shape[3]];
    const g = job.opts.groups || 1;
    const parts = [];
    let o = 0;
    const step = () => {
      if (job.id !== this.job) return;
      try {
        const grp = Math.floor(o / (K / g));
        const cin = job.op === 'conv2d' ? Cg : C / g;
        const x = { shape: [cin, H, W], data: job.x.data.subarray(grp * cin * H * W, (grp + 1) * cin * H * W) };
        let y;
        if (job.op === 'conv2d') {
          const w = { shape: [1, Cg, kh, kw], data: job.w.data.subarray(o * Cg * kh * kw, (o + 1) * Cg * kh * kw) };
          y = cp.conv2d(x, w, job.b ? { shape: [1], data: job.b.data.subarray(o, o + 1) } : null, { ...job.opts, groups: 1 });
        } else {
          // weight [C, K/g, kh, kw]: the column for output o within its group.
          const Kg = K / g, ol = o % Kg;
          const w = new Float32Array(cin * kh * kw);
          for (let c = 0; c < cin; c++) w.set(job.w.data.subarray(((grp * cin + c) * Kg + ol) * kh * kw, ((grp * cin + c) * Kg + ol + 1) * kh * kw), c * kh * kw);
          y = cp.convTranspose2d(x, { shape: [cin, 1, kh, kw], data: w }, job.b ? { shape: [1], data: job.b.data.subarray(o, o + 1) } : null, { ...job.opts, groups: 1 });
        }
        parts.push(y);
        o++;
        if (o < K) { setTimeout(step, 0); return; }
        const [, OH, OW] = parts[0].shape;
        const data = new Float32Array(K * OH * OW);
        parts.forEach((p, i) => data.set(p.data, i * OH * OW));
        done({ shape: [K, OH, OW], data }, t('main thread'));
      } catch (e) { fail(e); }
    };
    step();
  }

  scaleCanvases(OW, OH) {
    // Same scale for both: one factor fits the larger of the two into 480 CSS pixels (no layout
    // read here: this runs on every edit). CSS max-width keeps them inside a phone screen.
    const widest = Math.max(OW, this.input.w);
    const z = Math.min(4, 480 / widest);
    const iw = `${Math.round(this.input.w * z)}px`, ow = `${Math.round(OW * z)}px`;
    if (this.inCanvas.style.width !== iw) this.inCanvas.style.width = iw;
    if (this.outCanvas.style.width !== ow) this.outCanvas.style.width = ow;
    void OH;
  }
}
