// Turns clang 14's prototype relaxed-SIMD fused multiply-add into the final instruction, in place,
// in a linked WebAssembly module (a .wasm file, or the base64 module a SINGLE_FILE Emscripten
// .mjs/.js embeds). Why this exists (core/DESIGN.md, "The relaxed-SIMD build"): Debian 12's
// Emscripten 3.1.6 is clang 14 + binaryen 108, which know relaxed SIMD as the 2021 prototype,
// where f32x4.fma is opcode 0xfd 0xaf; engines shipped the final proposal, where
// f32x4.relaxed_madd is 0xfd 0x105 (a * b + c of the operands in stack order, the order clang 14
// emits for __builtin_wasm_fma_f32x4(a, b, c)). Both opcodes are 2-byte LEB128s, so the rewrite
// changes no size or offset. The code section is decoded instruction by instruction (not
// pattern-matched: the same bytes occur inside constants), and an instruction this decoder does
// not know stops the build instead of being skipped.
//
// usage: node wasm/relax-opcodes.mjs <file.wasm|file.mjs|file.js>...
//   prints how many instructions it rewrote; fails when a file has none (a relaxed build whose
//   kernels lost their fused multiply-adds is a build error, not a slow surprise).
import { readFileSync, writeFileSync } from 'node:fs';

// SIMD opcodes (after 0xfd) of the prototype and of the final relaxed proposal.
export const PROTOTYPE = { 0xaf: 0x105, 0xb0: 0x106, 0xcf: 0x107, 0xd0: 0x108 }; // f32x4/f64x2 fma, fms
const FINAL_MADD = 0x105;

class Reader {
  constructor(bytes, pos = 0) { this.b = bytes; this.pos = pos; }
  byte() {
    if (this.pos >= this.b.length) throw new Error('relax-opcodes: unexpected end of module');
    return this.b[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, byte;
    do { byte = this.byte(); result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return result;
  }
  skipLeb() { while (this.byte() & 0x80); }
  skip(n) { this.pos += n; }
  memarg() { this.skipLeb(); this.skipLeb(); }
  blockType() {
    const t = this.b[this.pos];
    if (t === 0x40 || (t >= 0x6f && t <= 0x7f)) this.pos++;
    else this.skipLeb(); // a type index (s33)
  }
}

// Walks one function body's instructions; calls onSimd(opcode, position of its LEB) for each
// 0xfd instruction.
function walkBody(r, end, onSimd) {
  const groups = r.u32();
  for (let i = 0; i < groups; ++i) { r.skipLeb(); r.byte(); } // local count, value type
  while (r.pos < end) {
    const op = r.byte();
    if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x19 || op === 0x1a ||
        op === 0x1b || op === 0xd1 || (op >= 0x45 && op <= 0xc4)) continue; // no immediates
    if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) r.blockType();
    else if ((op >= 0x07 && op <= 0x0d) || op === 0x10 || op === 0x12 || op === 0x18 ||
             (op >= 0x20 && op <= 0x26) || op === 0xd2) r.skipLeb();
    else if (op === 0x0e) { const n = r.u32(); for (let i = 0; i <= n; ++i) r.skipLeb(); }
    else if (op === 0x11 || op === 0x13) { r.skipLeb(); r.skipLeb(); }
    else if (op === 0x1c) { const n = r.u32(); r.skip(n); }
    else if (op >= 0x28 && op <= 0x3e) r.memarg();
    else if (op === 0x3f || op === 0x40 || op === 0xd0) r.byte();
    else if (op === 0x41 || op === 0x42) r.skipLeb();
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0xfc) {
      const sub = r.u32();
      if (sub <= 7) continue; // saturating truncations
      if (sub === 8) { r.skipLeb(); r.byte(); } // memory.init
      else if (sub === 10) { r.byte(); r.byte(); } // memory.copy
      else if (sub === 11) r.byte(); // memory.fill
      else if (sub === 12 || sub === 14) { r.skipLeb(); r.skipLeb(); }
      else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) r.skipLeb();
      else throw new Error(`relax-opcodes: unknown instruction 0xfc ${sub} at byte ${r.pos}`);
    } else if (op === 0xfd) {
      const at = r.pos;
      const sub = r.u32();
      onSimd(sub, at, r.pos - at);
      if (sub <= 11 || sub === 92 || sub === 93) r.memarg(); // loads, stores, load*_zero
      else if (sub === 12 || sub === 13) r.skip(16); // v128.const, i8x16.shuffle
      else if (sub >= 21 && sub <= 34) r.byte(); // extract/replace_lane
      else if (sub >= 84 && sub <= 91) { r.memarg(); r.byte(); } // load/store_lane
      else if (sub > 0x113) throw new Error(`relax-opcodes: unknown SIMD instruction ${sub} at byte ${at}`);
    } else throw new Error(`relax-opcodes: unknown instruction 0x${op.toString(16)} at byte ${r.pos - 1}`);
  }
  if (r.pos !== end) throw new Error('relax-opcodes: a function body did not end where its size says');
}

// Rewrites `bytes` (a module) in place. Returns { rewritten, madd }: prototype instructions
// rewritten and final relaxed_madd instructions in the result.
export function relaxModule(bytes) {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new Error('relax-opcodes: not a WebAssembly module');
  const r = new Reader(bytes, 8);
  let rewritten = 0, madd = 0;
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 10) {
      const count = r.u32();
      for (let f = 0; f < count; ++f) {
        const bodySize = r.u32();
        const bodyEnd = r.pos + bodySize;
        walkBody(r, bodyEnd, (sub, at, length) => {
          const final = PROTOTYPE[sub];
          if (final !== undefined) {
            // An LEB128 of 2 bytes or more (padded LEBs are valid) holds either: patch in place.
            if (length < 2) throw new Error(`relax-opcodes: a 1-byte opcode LEB at byte ${at}`);
            for (let i = 0; i < length; ++i) {
              const bits = Math.floor(final / 2 ** (7 * i)) & 0x7f;
              bytes[at + i] = i < length - 1 ? 0x80 | bits : bits;
            }
            ++rewritten;
            if (final === FINAL_MADD) ++madd;
          } else if (sub === FINAL_MADD) ++madd;
        });
      }
    }
    r.pos = end;
  }
  return { rewritten, madd };
}

const DATA_URI = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/;

// A file: a .wasm, or a script embedding its module as a base64 data URI (SINGLE_FILE).
export function relaxFile(path) {
  const raw = readFileSync(path);
  if (raw[0] === 0 && raw[1] === 0x61) {
    const result = relaxModule(raw);
    writeFileSync(path, raw);
    return result;
  }
  const text = raw.toString('utf8');
  const m = DATA_URI.exec(text);
  if (!m) throw new Error(`relax-opcodes: ${path} embeds no base64 WebAssembly module`);
  const bytes = Buffer.from(m[1], 'base64');
  const result = relaxModule(bytes);
  writeFileSync(path, text.slice(0, m.index) + `data:application/octet-stream;base64,${bytes.toString('base64')}` +
    text.slice(m.index + m[0].length));
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const path of process.argv.slice(2)) {
    const { rewritten, madd } = relaxFile(path);
    console.log(`relax-opcodes: ${path}: ${rewritten} prototype instructions rewritten, ${madd} f32x4.relaxed_madd`);
    if (madd === 0) {
      console.error(`relax-opcodes: ${path} has no f32x4.relaxed_madd: the relaxed build lost its fused multiply-adds`);
      process.exit(1);
    }
  }
}
