// The parameter form: every argument of the op (nn.Conv1d … nn.ConvTranspose3d, F.max_pool2d,
// F.avg_pool2d), labelled for screen readers; the fields an op does not take are hidden (a 1-D
// op has no height fields, only a 3-D op has depth fields, pooling has no weights). Values go to the state as typed (invalid combinations are explained by the compute
// API, never blocked); only non-integers are refused, inline.

import { h, activeIn } from '../dom.js';
import { parseInt10 } from '../numfmt.js';
import { t } from '../i18n.js';
import { LIMITS, convPads, OPS, opDims, isPool, isTransposed } from '../state.js';

let uid = 0;

function numberField(name, label, opts = {}) {
  const id = `f-${name}-${++uid}`;
  const input = h('input', { id, type: 'number', step: '1', inputmode: 'numeric', min: opts.min ?? null, max: opts.max ?? null,
    'data-testid': `param-${name}`, 'data-param': name, 'aria-label': opts.aria || label, class: 'num-field' });
  const wrap = h('label', { class: 'field', for: id }, h('span', { class: 'field-label' }, label), input);
  return { wrap, input };
}

// A parameter's row: the depth field (3-D ops only), height and width.
function pairField(name, label, help) {
  const dd = numberField(`${name}-d`, 'd', { aria: t('{p} depth', { p: label }) });
  const a = numberField(`${name}-h`, 'h', { aria: t('{p} height', { p: label }) });
  const b = numberField(`${name}-w`, 'w', { aria: t('{p} width', { p: label }) });
  const row = h('div', { class: 'pair-row', role: 'group', 'aria-label': label },
    h('span', { class: 'row-label', title: help || '' }, label.replace(/_/g, '_\u200b')), dd.wrap, a.wrap, b.wrap);
  return { row, d: dd.input, h: a.input, w: b.input };
}

// Changed only when it changes: an attribute write restyles the panel on every edit.
const show = (el, on) => { if (el.hidden !== !on) el.hidden = !on; };
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

export class Controls {
  // dispatch(action, payload, sourceKey): the store's named actions (actions.js).
  constructor(dispatch) {
    this.dispatch = dispatch;
    this.fields = {};
    const f = this.fields;

    const opRow = h('div', { class: 'seg', role: 'radiogroup', 'aria-label': t('operation') });
    f.op = {};
    for (const [val, text] of OPS.map((op) => [op, op])) {
      const id = `op-${val}`;
      const r = h('input', { type: 'radio', name: 'op', id, value: val, 'data-testid': `op-${val}` });
      f.op[val] = r;
      opRow.append(r, h('label', { for: id }, text));
      r.addEventListener('change', () => { if (r.checked) this.dispatch('setOp', { op: val }, 'op'); });
    }

    const C = numberField('in_channels', t('in'), { min: 1, max: LIMITS.channels, aria: t('in_channels (input channels)') });
    const D = numberField('depth', 'D', { min: 1, max: LIMITS.depth, aria: t('input depth') });
    const H = numberField('height', 'H', { min: 1, max: LIMITS.size, aria: t('input height') });
    const W = numberField('width', 'W', { min: 1, max: LIMITS.size, aria: t('input width') });
    const K = numberField('out_channels', t('out'), { min: 1, max: LIMITS.channels, aria: t('out_channels (output channels)') });
    const kd = numberField('kernel-d', 'kD', { min: 1, max: LIMITS.depth, aria: t('kernel depth') });
    const kh = numberField('kernel-h', 'kH', { min: 1, max: LIMITS.kernel, aria: t('kernel height') });
    const kw = numberField('kernel-w', 'kW', { min: 1, max: LIMITS.kernel, aria: t('kernel width') });
    Object.assign(f, { C: C.input, D: D.input, H: H.input, W: W.input, K: K.input, kd: kd.input, kh: kh.input, kw: kw.input });
    this.wraps = { D: D.wrap, H: H.wrap, W: W.wrap, K: K.wrap, kd: kd.wrap, kh: kh.wrap, kw: kw.wrap };

    const stride = pairField('stride', 'stride', t('step between kernel positions'));
    const padding = pairField('padding', 'padding', t('conv2d: zeros (or copies) added around the input; conv_transpose2d: rows/columns cropped from the output'));
    const dilation = pairField('dilation', 'dilation', t('spacing between kernel taps'));
    const outPad = pairField('output_padding', 'output_padding', t('conv_transpose2d: extra rows/columns at the bottom/right'));
    f.stride = stride; f.padding = padding; f.dilation = dilation; f.outputPadding = outPad;
    const groups = numberField('groups', 'groups', { min: 1 });
    f.groups = groups.input;

    f.padKind = h('select', { id: 'f-padkind', 'data-testid': 'param-padding-kind', 'aria-label': t('padding kind') },
      h('option', { value: 'num' }, t('ints')), h('option', { value: 'same' }, "'same'"), h('option', { value: 'valid' }, "'valid'"));
    f.padMode = h('select', { id: 'f-padmode', 'data-testid': 'param-padding_mode', 'aria-label': 'padding_mode' },
      ...['zeros', 'reflect', 'replicate', 'circular'].map((m) => h('option', { value: m }, m)));
    f.bias = h('input', { type: 'checkbox', id: 'f-bias', 'data-testid': 'param-bias' });
    // conv1d's causal switch; pooling's ceil_mode, count_include_pad and divisor_override.
    f.causal = h('input', { type: 'checkbox', id: 'f-causal', 'data-testid': 'param-causal' });
    f.ceilMode = h('input', { type: 'checkbox', id: 'f-ceil', 'data-testid': 'param-ceil_mode' });
    f.countIncludePad = h('input', { type: 'checkbox', id: 'f-cip', 'data-testid': 'param-count_include_pad' });
    const divisor = numberField('divisor_override', 'divisor_override', { aria: t('divisor_override (empty: none)') });
    f.divisor = divisor.input;
    this.causalRow = h('label', { class: 'check', for: 'f-causal', title: t('pad (k − 1)·dilation zeros on the left only (F.pad, then conv1d): the output has the input’s length and sees only the past') }, f.causal, h('span', null, t('causal')));
    this.poolRow = h('div', { class: 'pair-row pool-row', role: 'group', 'aria-label': t('pooling') },
      h('label', { class: 'check', for: 'f-ceil' }, f.ceilMode, h('span', null, 'ceil_mode')),
      this.cipWrap = h('label', { class: 'check', for: 'f-cip' }, f.countIncludePad, h('span', null, 'count_include_pad')));
    this.divisorRow = h('div', { class: 'pair-row' }, divisor.wrap);

    this.padModeRow = h('label', { class: 'field wide', for: 'f-padmode' }, h('span', { class: 'field-label' }, 'padding_\u200bmode'), f.padMode);
    this.outPadRow = outPad.row;
    this.dilationRow = dilation.row;
    this.padKindWrap = h('label', { class: 'field', for: 'f-padkind' }, h('span', { class: 'field-label' }, t('kind')), f.padKind);
    this.kernelLabel = h('span', { class: 'row-label' }, t('kernel'));

    this.el = h('div', { class: 'controls' },
      opRow,
      h('div', { class: 'ctl-group' },
        h('div', { class: 'pair-row', role: 'group', 'aria-label': t('input size') }, h('span', { class: 'row-label' }, t('input')), C.wrap, D.wrap, H.wrap, W.wrap),
        h('div', { class: 'pair-row', role: 'group', 'aria-label': t('kernel') }, this.kernelLabel, K.wrap, kd.wrap, kh.wrap, kw.wrap)),
      h('div', { class: 'ctl-group' },
        stride.row,
        this.paddingRow = h('div', { class: 'pair-row', role: 'group', 'aria-label': 'padding' }, h('span', { class: 'row-label' }, 'padding'),
          this.padKindWrap, padding.d.parentElement, padding.h.parentElement, padding.w.parentElement),
        this.padModeRow,
        dilation.row,
        this.outPadRow,
        this.groupsRow = h('div', { class: 'pair-row' }, h('span', { class: 'row-label' }, 'groups'), groups.wrap,
          h('label', { class: 'check', for: 'f-bias' }, f.bias, h('span', null, t('bias'))), this.causalRow),
        this.poolRow, this.divisorRow));

    // Wiring: every integer field names its parameter (data-param, actions.js PARAMS).
    for (const input of [f.C, f.D, f.H, f.W, f.K, f.kd, f.kh, f.kw, stride.d, stride.h, stride.w, padding.d, padding.h, padding.w, dilation.d, dilation.h, dilation.w, outPad.d, outPad.h, outPad.w, f.groups]) {
      input.addEventListener('input', () => {
        const v = parseInt10(input.value);
        if (v === undefined) { input.setAttribute('aria-invalid', 'true'); return; }
        input.removeAttribute('aria-invalid');
        this.dispatch('setParam', { param: input.dataset.param, value: v }, input.dataset.param);
      });
    }
    f.padKind.addEventListener('change', () => this.dispatch('setPaddingKind', { kind: f.padKind.value }, 'padKind'));
    f.padMode.addEventListener('change', () => this.dispatch('setPaddingMode', { mode: f.padMode.value }, 'padMode'));
    f.bias.addEventListener('change', () => this.dispatch('setBias', { on: f.bias.checked }, 'bias'));
    f.causal.addEventListener('change', () => this.dispatch('setCausal', { on: f.causal.checked }, 'causal'));
    f.ceilMode.addEventListener('change', () => this.dispatch('setPoolFlag', { name: 'ceilMode', on: f.ceilMode.checked }, 'ceilMode'));
    f.countIncludePad.addEventListener('change', () => this.dispatch('setPoolFlag', { name: 'countIncludePad', on: f.countIncludePad.checked }, 'countIncludePad'));
    f.divisor.addEventListener('input', () => {
      const v = f.divisor.value.trim() === '' ? null : parseInt10(f.divisor.value);
      if (v === undefined) { f.divisor.setAttribute('aria-invalid', 'true'); return; }
      f.divisor.removeAttribute('aria-invalid');
      this.dispatch('setParam', { param: 'divisor_override', value: v }, 'divisor_override');
    });
  }

  // Reflect the state in the fields, leaving alone a field the user is typing in.
  sync(s) {
    const f = this.fields;
    const set = (input, v) => {
      if (activeIn(input) === input && parseInt10(input.value) === v) return;
      if (input.value !== String(v)) input.value = String(v);
      input.removeAttribute('aria-invalid');
    };
    f.op[s.op].checked = true;
    set(f.C, s.C); set(f.D, s.D); set(f.H, s.H); set(f.W, s.W); set(f.K, s.K); set(f.kd, s.kd); set(f.kh, s.kh); set(f.kw, s.kw);
    for (const key of ['stride', 'padding', 'dilation', 'outputPadding']) { set(f[key].d, s[`${key}D`]); set(f[key].h, s[key][0]); set(f[key].w, s[key][1]); }
    f.causal.checked = s.causal; f.ceilMode.checked = s.ceilMode; f.countIncludePad.checked = s.countIncludePad;
    if (activeIn(f.divisor) !== f.divisor) f.divisor.value = s.divisorOverride === null ? '' : String(s.divisorOverride);
    if (f.divisor.placeholder !== t('none')) f.divisor.placeholder = t('none');
    set(f.groups, s.groups);
    f.padKind.value = s.paddingKind;
    f.padMode.value = s.paddingMode;
    f.bias.checked = s.useBias;
    const numeric = s.paddingKind === 'num';
    if (!numeric) {
      // 'same' / 'valid' decide the sizes: show them as placeholders; typing a number switches back.
      const [pt, pb, pl, pr] = convPads(s);
      for (const [input, a, b] of [[f.padding.h, pt, pb], [f.padding.w, pl, pr]]) {
        if (activeIn(input) !== input) input.value = '';
        input.placeholder = a === b ? String(a) : `${a}+${b}`;
      }
    } else { f.padding.h.placeholder = ''; f.padding.w.placeholder = ''; }
    const convT = isTransposed(s.op);
    show(this.outPadRow, convT);
    show(this.padModeRow, !((convT && s.paddingMode === 'zeros') || isPool(s.op) || s.causal));
    this.showFieldsFor(s);
  }

  // Only the fields the op takes: depth fields for 3-D ops, no height fields for 1-D ops (their
  // length is W), no weights for pooling (its kernel is kernel_size).
  showFieldsFor(s) {
    const dims = opDims(s.op), pool = isPool(s.op), f = this.fields;
    this.el.classList.toggle('dims-3', dims === 3); // four fields a row
    for (const key of ['stride', 'padding', 'dilation', 'outputPadding']) {
      show(f[key].d.parentElement, dims === 3);
      show(f[key].h.parentElement, dims !== 1);
    }
    show(this.wraps.D, dims === 3); show(this.wraps.kd, dims === 3);
    show(this.wraps.H, dims !== 1); show(this.wraps.kh, dims !== 1);
    // A 1-D op's length is L (its W field), its kernel's kL.
    setText(this.wraps.W.querySelector('.field-label'), dims === 1 ? 'L' : 'W');
    setText(this.wraps.kw.querySelector('.field-label'), dims === 1 ? 'kL' : 'kW');
    show(this.wraps.K, !pool);
    setText(this.kernelLabel, pool ? 'kernel_size' : t('kernel'));
    show(this.groupsRow, !pool);
    show(this.causalRow, s.op === 'conv1d');
    show(this.paddingRow, !s.causal);
    show(this.padKindWrap, !pool && !(convTOr(s) && dims !== 2));
    show(this.dilationRow, s.op !== 'avg_pool2d');
    show(this.poolRow, pool);
    show(this.cipWrap, s.op === 'avg_pool2d');
    show(this.divisorRow, s.op === 'avg_pool2d');
  }
}

const convTOr = (s) => isTransposed(s.op);
