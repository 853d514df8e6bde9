// The parameter form: every nn.Conv2d / nn.ConvTranspose2d argument, labelled for screen
// readers. Values go to the state as typed (invalid combinations are explained by the compute
// API, never blocked); only non-integers are refused, inline.

import { h, activeIn } from '../dom.js';
import { parseInt10 } from '../numfmt.js';
import { t } from '../i18n.js';
import { LIMITS, convPads } from '../state.js';

let uid = 0;

function numberField(name, label, opts = {}) {
  const id = `f-${name}-${++uid}`;
  const input = h('input', { id, type: 'number', step: '1', inputmode: 'numeric', min: opts.min ?? null, max: opts.max ?? null,
    'data-testid': `param-${name}`, 'data-param': name, 'aria-label': opts.aria || label, class: 'num-field' });
  const wrap = h('label', { class: 'field', for: id }, h('span', { class: 'field-label' }, label), input);
  return { wrap, input };
}

function pairField(name, label, help) {
  const a = numberField(`${name}-h`, 'h', { aria: t('{p} height', { p: label }) });
  const b = numberField(`${name}-w`, 'w', { aria: t('{p} width', { p: label }) });
  const row = h('div', { class: 'pair-row', role: 'group', 'aria-label': label },
    h('span', { class: 'row-label', title: help || '' }, label.replace(/_/g, '_\u200b')), a.wrap, b.wrap);
  return { row, h: a.input, w: b.input };
}

export class Controls {
  // dispatch(action, payload, sourceKey): the store's named actions (actions.js).
  constructor(dispatch) {
    this.dispatch = dispatch;
    this.fields = {};
    const f = this.fields;

    const opRow = h('div', { class: 'seg', role: 'radiogroup', 'aria-label': t('operation') });
    f.op = {};
    for (const [val, text] of [['conv2d', 'conv2d'], ['conv_transpose2d', 'conv_transpose2d']]) {
      const id = `op-${val}`;
      const r = h('input', { type: 'radio', name: 'op', id, value: val, 'data-testid': `op-${val}` });
      f.op[val] = r;
      opRow.append(r, h('label', { for: id }, text));
      r.addEventListener('change', () => { if (r.checked) this.dispatch('setOp', { op: val }, 'op'); });
    }

    const C = numberField('in_channels', t('in'), { min: 1, max: LIMITS.channels, aria: t('in_channels (input channels)') });
    const H = numberField('height', 'H', { min: 1, max: LIMITS.size, aria: t('input height') });
    const W = numberField('width', 'W', { min: 1, max: LIMITS.size, aria: t('input width') });
    const K = numberField('out_channels', t('out'), { min: 1, max: LIMITS.channels, aria: t('out_channels (output channels)') });
    const kh = numberField('kernel-h', 'kH', { min: 1, max: LIMITS.kernel, aria: t('kernel height') });
    const kw = numberField('kernel-w', 'kW', { min: 1, max: LIMITS.kernel, aria: t('kernel width') });
    Object.assign(f, { C: C.input, H: H.input, W: W.input, K: K.input, kh: kh.input, kw: kw.input });

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

    this.padModeRow = h('label', { class: 'field wide', for: 'f-padmode' }, h('span', { class: 'field-label' }, 'padding_\u200bmode'), f.padMode);
    this.outPadRow = outPad.row;

    this.el = h('div', { class: 'controls' },
      opRow,
      h('div', { class: 'ctl-group' },
        h('div', { class: 'pair-row', role: 'group', 'aria-label': t('input size') }, h('span', { class: 'row-label' }, t('input')), C.wrap, H.wrap, W.wrap),
        h('div', { class: 'pair-row', role: 'group', 'aria-label': t('kernel') }, h('span', { class: 'row-label' }, t('kernel')), K.wrap, kh.wrap, kw.wrap)),
      h('div', { class: 'ctl-group' },
        stride.row,
        h('div', { class: 'pair-row', role: 'group', 'aria-label': 'padding' }, h('span', { class: 'row-label' }, 'padding'),
          h('label', { class: 'field', for: 'f-padkind' }, h('span', { class: 'field-label' }, t('kind')), f.padKind), padding.h.parentElement, padding.w.parentElement),
        this.padModeRow,
        dilation.row,
        this.outPadRow,
        h('div', { class: 'pair-row' }, h('span', { class: 'row-label' }, 'groups'), groups.wrap,
          h('label', { class: 'check', for: 'f-bias' }, f.bias, h('span', null, t('bias'))))));

    // Wiring: every integer field names its parameter (data-param, actions.js PARAMS).
    for (const input of [f.C, f.H, f.W, f.K, f.kh, f.kw, stride.h, stride.w, padding.h, padding.w, dilation.h, dilation.w, outPad.h, outPad.w, f.groups]) {
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
    set(f.C, s.C); set(f.H, s.H); set(f.W, s.W); set(f.K, s.K); set(f.kh, s.kh); set(f.kw, s.kw);
    for (const key of ['stride', 'padding', 'dilation', 'outputPadding']) { set(f[key].h, s[key][0]); set(f[key].w, s[key][1]); }
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
    const convT = s.op === 'conv_transpose2d';
    this.outPadRow.hidden = !convT;
    this.padModeRow.hidden = convT && s.paddingMode === 'zeros';
  }
}
