// Typings of dist/convplay.mjs and of the global `convplay` defined by dist/convplay.js.
// Semantics are PyTorch 1.13's (nn.Conv2d, nn.ConvTranspose2d, nn.Unfold / nn.Fold, F.pad).

/** Row-major (NCHW) float32 tensor. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** Nested arrays of numbers, e.g. [[1, 2], [3, 4]], accepted wherever a Tensor is. */
export type NestedArray = number | NestedArray[];
export type TensorLike = Tensor | NestedArray[];

/** An integer for both dimensions, or [height, width]. */
export type IntPair = number | [number, number];

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface Conv2dOptions {
  stride?: IntPair;                       // default 1
  padding?: IntPair | 'same' | 'valid';   // default 0; 'same' puts the odd extra bottom/right
  dilation?: IntPair;                     // default 1
  groups?: number;                        // default 1
  paddingMode?: PaddingMode;              // default 'zeros'
  /** Write the result into this array (exactly the output's size) and return it as `data`, instead of a new one. */
  out?: Float32Array;
}

export interface ConvTranspose2dOptions {
  stride?: IntPair;
  padding?: IntPair;
  outputPadding?: IntPair;                // must be < stride or < dilation, per dimension
  dilation?: IntPair;
  groups?: number;
  paddingMode?: 'zeros';                  // the only mode PyTorch supports here
  /** Write the result into this array (exactly the output's size) and return it as `data`, instead of a new one. */
  out?: Float32Array;
}

export interface UnfoldOptions {
  kernelSize: IntPair;
  dilation?: IntPair;
  padding?: IntPair;
  stride?: IntPair;
}

export interface FoldOptions extends UnfoldOptions {
  outputSize: IntPair;
}

export interface PadOptions {
  /** [left, right] or [left, right, top, bottom]; negative values crop (constant mode). */
  pad: [number, number] | [number, number, number, number];
  mode?: 'constant' | 'reflect' | 'replicate' | 'circular';  // default 'constant'
  value?: number;                                            // constant mode fill, default 0
}

export interface KernelMatrixOptions {
  stride?: IntPair;
  /** conv2d's padding: default 0; 'same' (stride 1 only) puts the odd extra bottom/right. */
  padding?: IntPair | 'same' | 'valid';
  dilation?: IntPair;
}

export interface ShapeCheck {
  ok: boolean;
  shape: number[] | null;
  /** Why the configuration is invalid (names the parameter and the rule), or null. */
  error: string | null;
}

export interface Convplay {
  /** 'wasm-simd128' or 'scalar'. */
  readonly backend: string;
  readonly version: string;

  /** input [N, C, H, W] or [C, H, W]; weight [out, in/groups, kH, kW]; bias [out] or null. */
  conv2d(input: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: Conv2dOptions): Tensor;
  /** input [N, C, H, W] or [C, H, W]; weight [in, out/groups, kH, kW]; bias [out] or null. */
  convTranspose2d(input: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: ConvTranspose2dOptions): Tensor;
  /** [N, C, H, W] -> [N, C*kH*kW, L] (and [C, H, W] -> [C*kH*kW, L]). */
  unfold(input: TensorLike, options: UnfoldOptions): Tensor;
  /** [N, C*kH*kW, L] -> [N, C, H, W] (and [C*kH*kW, L] -> [C, H, W]); overlaps are summed. */
  fold(input: TensorLike, options: FoldOptions): Tensor;
  /** F.pad on the last two dimensions. */
  pad(input: TensorLike, options: PadOptions): Tensor;
  /** M of shape [outH*outW, H*W] with conv2d(x).flatten() == M @ x.flatten(); M^T @ y is the transposed conv. */
  kernelMatrix(kernel2d: TensorLike, inputSize: IntPair, options?: KernelMatrixOptions): Tensor;
  /** d2l's bilinear_kernel: [in, out, k, k], the FCN upsampling initialisation. */
  bilinearKernel(inChannels: number, outChannels: number, kernelSize: number): Tensor;

  conv2dOutputShape(inputShape: number[], weightShape: number[], options?: Conv2dOptions, biasShape?: number[] | null): ShapeCheck;
  convTranspose2dOutputShape(inputShape: number[], weightShape: number[], options?: ConvTranspose2dOptions, biasShape?: number[] | null): ShapeCheck;

  tensor(nested: NestedArray[]): Tensor;
  toNested(t: Tensor): NestedArray;

  /** Bytes in use by the WASM heap's allocator (for leak checks). */
  heapInUse(): number;
  /** The WASM stack pointer (for leak checks). */
  stackPointer(): number;
  /** Gives back scratch and result memory kept between calls. */
  releaseMemory(): void;
}

/**
 * Instantiates the WebAssembly module (embedded in the file; no fetch). Engines without
 * WebAssembly SIMD get the scalar build (convplay-scalar.mjs / .js, loaded from beside this
 * file) automatically; `{ simd: false }` forces it. `backend` tells which one runs.
 */
export function load(options?: { simd?: boolean; [emscriptenOption: string]: unknown }): Promise<Convplay>;
/** Whether this engine can run the SIMD build: it validates WebAssembly SIMD and bulk memory (feature detection). */
export function simdSupported(): boolean;
export default load;
export function tensor(nested: NestedArray[]): Tensor;
export function toNested(t: Tensor): NestedArray;
