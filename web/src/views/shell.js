// The page's layout: which views a playground shows and where. The full page (index.html) has a
// header, the settings on the side and every panel; an embed (embed.html, <conv-playground>)
// shows the panels it names. Each view is built here with the context it needs (page.js):
// ctx = { cp, model (read-only), dispatch(action, payload), link, notify, setUi, ... }.

import { h } from '../dom.js';
import { t, LANGS, getLang } from '../i18n.js';
import { INPUT_PRESETS, KERNEL_PRESETS, EXAMPLES } from '../presets.js';
import { WAVENET_DILATIONS, wavenetField } from '../wavenet.js';
import { TensorsView } from './tensors.js';
import { StatusView } from './status.js';
import { ExplanationView } from './explanation.js';
import { FormulaView } from './formula.js';
import { Controls } from './controls.js';
import { Animator } from './animation.js';
import { MatrixView } from './matrix.js';
import { ConvTViews } from './convt-views.js';
import { ImageMode } from './image-mode.js';
import { ExportBox } from './export-box.js';
import { addFigureTools } from '../figure-export.js';

// The panels that are figures (issue 21): each gets "save as SVG / PNG" buttons. A panel added
// to `sections` is saved as convplay-<its name>.svg; give it words here for the buttons' names.
// The parameters and the animation bar are controls, not figures.
const FIGURE_WHAT = () => ({ grids: t('the grids'), explain: t('the explanation'), formula: t('the output-size formula'),
  views: t('the three views of conv_transpose2d'), matrix: t('the matrices'), extra: t('the round trip and overlap map'), image: t('the images'), grad: t('the gradient view') });
const NOT_FIGURES = new Set(['params', 'anim']);

import { GradientView } from './gradient.js';

// -> the views: { tensors, status, explanation, formula, controls, anim, matrix, convt, image,
//    exportBox, grad, themeBtn, langSel }
export function buildShell(root, ctx, opts, stats) {
  const v = {};
  v.controls = new Controls(ctx.dispatch);
  v.tensors = new TensorsView(stats);
  v.status = new StatusView();
  v.explanation = new ExplanationView();
  v.formula = new FormulaView();
  v.anim = new Animator(ctx);
  const matrixBody = h('div', { class: 'matrix-body' });
  const matrixDetails = h('details', { class: 'panel matrix-panel' }, h('summary', null, h('h2', null, t('As a matrix: im2col (unfold) and the kernel matrix'))), matrixBody);
  v.matrix = new MatrixView(ctx, matrixBody, matrixDetails);
  v.convt = new ConvTViews(ctx);
  v.image = new ImageMode(ctx);
  v.exportBox = new ExportBox(ctx.notify);
  v.grad = new GradientView(ctx);

  const sections = {
    anim: v.anim.bar,
    grids: v.tensors.el,
    explain: v.explanation.section,
    formula: v.formula.section,
    views: v.convt.details,
    matrix: matrixDetails,
    extra: v.convt.extra,
    params: h('section', { class: 'panel' }, h('h2', null, t('Parameters')), v.controls.el),
    image: v.image.details,
    grad: v.grad.details,
  };
  const what = FIGURE_WHAT();
  for (const [name, el] of Object.entries(sections)) {
    if (!NOT_FIGURES.has(name)) addFigureTools(el, name, what[name] || t('this panel'), ctx.notify);
  }
  if (opts.mode === 'embed') {
    root.classList.add('embed');
    const names = (opts.panels && opts.panels.length ? opts.panels : ['grids', 'formula']).filter((n) => sections[n]);
    root.append(v.status.bar, v.status.errorEl, v.status.noticeEl, ...names.map((n) => sections[n]),
      h('div', { class: 'embed-foot' }, opts.link ? h('a', { href: opts.link, target: '_blank', rel: 'noopener', 'data-testid': 'open-full' }, t('Open in convplay ↗')) : 'convplay',
        h('span', { class: 'muted' }, ` · ${ctx.cp.backend}`)));
    return v;
  }

  const chip = (label, title, onclick, testid) => h('button', { type: 'button', class: 'chip', title, onclick, 'data-testid': testid }, label);
  const inputChips = h('div', { class: 'chips' }, INPUT_PRESETS.map((p) => chip(t(p.label), t(p.title), () => ctx.dispatch('inputPreset', { id: p.id }, `preset-${p.id}`), `preset-input-${p.id}`)));
  const kernelChips = h('div', { class: 'chips' }, KERNEL_PRESETS.map((p) => chip(t(p.label), t(p.title), () => ctx.dispatch('kernelPreset', { id: p.id, cp: ctx.cp }, `kpreset-${p.id}`), `preset-kernel-${p.id}`)));
  // The WaveNet stack: one chip per layer (wavenet.js); each loads that layer alone.
  const wavenet = h('div', { class: 'chips', role: 'group', 'aria-label': t('WaveNet layers') }, WAVENET_DILATIONS.map((d, i) => chip(t('layer {n}: dilation {d}', { n: i + 1, d }),
    t('causal conv1d, kernel 2, dilation {d}: the stack of layers 1…{n} sees {r} positions', { d, n: i + 1, r: wavenetField(i + 1) }),
    () => ctx.dispatch('wavenetLayer', { n: i + 1, cp: ctx.cp }, `wavenet-${i + 1}`), `preset-wavenet-${i + 1}`)));
  v.kernelChips = kernelChips;
  v.kernelPresetsTitle = h('h2', null, t('Kernel presets'));
  const examples = h('ol', { class: 'examples' }, EXAMPLES.map((e) => h('li', null,
    h('button', { type: 'button', class: 'example', 'data-testid': `example-${e.id}`, onclick: () => ctx.loadHash(e.hash) },
      h('span', { class: 'ex-src', title: t('source note {n}', { n: e.source }) }, e.source),
      h('span', { class: 'ex-title' }, t(e.title)),
      h('span', { class: 'ex-expect' }, '→ ', t(e.expect))))));

  const btn = (testid, label, onclick) => h('button', { type: 'button', class: 'btn', 'data-testid': testid, onclick }, label);
  v.themeBtn = btn('theme', document.documentElement.dataset.theme === 'dark' ? t('Light') : t('Dark'), () => ctx.toggleTheme());
  v.langSel = h('select', { class: 'btn lang-select', 'data-testid': 'lang', 'aria-label': t('Language') }, LANGS.map(([id, name]) => h('option', { value: id, lang: id }, name)));
  v.langSel.value = getLang();
  v.langSel.addEventListener('change', () => ctx.switchLang(v.langSel.value));

  root.append(
    // First in the tab order: Tab, Enter and a keyboard user is on the input grid's first cell.
    h('a', { class: 'skip-link', href: '#', 'data-testid': 'skip-to-grids', onclick: (e) => { e.preventDefault(); ctx.focusGrids(); } }, t('Skip to the grids')),
    h('header', { class: 'top' },
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), h('h1', null, 'convplay'),
        h('span', { class: 'tagline' }, t('convolutions and pooling with PyTorch’s semantics, live'))),
      h('div', { class: 'top-actions' },
        h('a', { class: 'btn', href: 'learn.html', 'data-testid': 'lessons-link' }, t('Lessons')),
        btn('export-pytorch', t('Copy as PyTorch'), () => v.exportBox.toggleCode('pytorch')),
        btn('export-numpy', t('Copy as NumPy'), () => v.exportBox.toggleCode('numpy')),
        btn('embed', t('Embed'), () => v.exportBox.toggleEmbed()),
        btn('copy-link', t('Copy link'), () => ctx.copyLink()),
        v.themeBtn, v.langSel)),
    v.exportBox.el,
    h('div', { class: 'layout' },
      h('aside', { class: 'side', 'aria-label': t('settings') },
        sections.params,
        h('section', { class: 'panel' }, h('h2', null, t('Input presets')), inputChips, v.kernelPresetsTitle, kernelChips),
        h('section', { class: 'panel' }, h('h2', null, t('WaveNet: causal conv1d, dilations 1, 2, 4, 8')),
          h('p', { class: 'hint' }, t('One layer at a time: each layer’s input is the stack so far applied to a unit impulse, so the output’s non-zero cells show the receptive field grow: 2, 4, 8, 16.')), wavenet),
        h('section', { class: 'panel' }, h('h2', null, t('Worked examples')), examples)),
      h('main', { class: 'main' },
        v.status.bar, v.status.errorEl, v.status.noticeEl,
        sections.anim, sections.grids, sections.explain, sections.formula, sections.grad, sections.views, sections.matrix, sections.extra, sections.image)),
    h('footer', { class: 'foot' }, t('Numbers are computed by the convplay WebAssembly core ('), h('span', { 'data-testid': 'backend' }, ctx.cp.backend),
      t('), with PyTorch 1.13’s semantics: every value within 1e-4 absolute + 1e-4 relative of PyTorch’s (tested on PyTorch’s own results). The page requests nothing but its own files. Sample photo: “Chelsea the cat”, Stefan van der Walt, CC0.')));
  return v;
}
