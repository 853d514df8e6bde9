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

/** An integer for every dimension, or [depth, height, width]. */
export type IntTriple = number | [number, number, number];

export interface Conv1dOptions {
  stride?: number;                        // default 1
  padding?: number | 'same' | 'valid';    // default 0; 'same' puts the odd extra at the end
  dilation?: number;                      // default 1
  groups?: number;                        // default 1
  paddingMode?: PaddingMode;              // default 'zeros'
  /** Write the result into this array (exactly the output's size) and return it as `data`. */
  out?: Float32Array;
}

export interface ConvTranspose1dOptions {
  stride?: number;
  padding?: number;
  outputPadding?: number;                 // must be < stride or < dilation
  dilation?: number;
  groups?: number;
  paddingMode?: 'zeros';
  /** Write the result into this array (exactly the output's size) and return it as `data`. */
  out?: Float32Array;
}

export interface Conv3dOptions {
  stride?: IntTriple;
  padding?: IntTriple | 'same' | 'valid';
  dilation?: IntTriple;
  groups?: number;
  paddingMode?: PaddingMode;
  /** Write the result into this array (exactly the output's size) and return it as `data`. */
  out?: Float32Array;
}

export interface ConvTranspose3dOptions {
  stride?: IntTriple;
  padding?: IntTriple;
  outputPadding?: IntTriple;
  dilation?: IntTriple;
  groups?: number;
  paddingMode?: 'zeros';
  /** Write the result into this array (exactly the output's size) and return it as `data`. */
  out?: Float32Array;
}

/** conv2d's options without `out`. */
export type Conv2dBackwardOptions = Omit<Conv2dOptions, 'out'>;
export type ConvTranspose2dBackwardOptions = Omit<ConvTranspose2dOptions, 'out'>;

/** What torch.autograd gives for nn.Conv2d / nn.ConvTranspose2d with a bias. */
export interface ConvGradients {
  gradInput: Tensor;    // the input's shape
  gradWeight: Tensor;   // the weight's shape
  gradBias: Tensor;     // [out_channels]
}

export interface MaxPool2dOptions {
  kernelSize: IntPair;
  stride?: IntPair;       // default kernelSize
  padding?: IntPair;      // at most half the kernel size
  dilation?: IntPair;
  ceilMode?: boolean;     // the last window must start inside the input or the left padding
  returnIndices?: boolean;
  /** Write the output into this array (exactly its size) and return it as `data` (not with returnIndices). */
  out?: Float32Array;
}

export interface AvgPool2dOptions {
  kernelSize: IntPair;
  stride?: IntPair;       // default kernelSize
  padding?: IntPair;      // at most half the kernel size
  ceilMode?: boolean;
  countIncludePad?: boolean;   // default true
  divisorOverride?: number;    // non-zero
  /** Write the output into this array (exactly its size) and return it as `data`. */
  out?: Float32Array;
}

/** Int32 tensor: max_pool2d's indices, flat h * W + w within each plane. */
export interface IndexTensor {
  shape: number[];
  data: Int32Array;
}

export interface ShapeCheck {
  ok: boolean;
  shape: number[] | null;
  /** Why the configuration is invalid (names the parameter and the rule), or null. */
  error: string | null;
}

export interface Convplay {
  /** 'wasm-relaxed-simd' (fused multiply-add), 'wasm-simd128' or 'scalar': the build that runs. */
  readonly backend: 'wasm-relaxed-simd' | 'wasm-simd128' | 'scalar' | (string & {});
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

  /** input [N, C, L] or [C, L]; weight [out, in/groups, k]; bias [out] or null. */
  conv1d(input: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: Conv1dOptions): Tensor;
  /** input [N, C, L] or [C, L]; weight [in, out/groups, k]. */
  convTranspose1d(input: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: ConvTranspose1dOptions): Tensor;
  /** input [N, C, D, H, W] or [C, D, H, W]; weight [out, in/groups, kD, kH, kW]. */
  conv3d(input: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: Conv3dOptions): Tensor;
  /** input [N, C, D, H, W] or [C, D, H, W]; weight [in, out/groups, kD, kH, kW]. */
  convTranspose3d(input: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: ConvTranspose3dOptions): Tensor;
  /** Gradients of conv2d for gradOutput (the forward output's shape). */
  conv2dBackward(input: TensorLike, weight: TensorLike, gradOutput: TensorLike, options?: Conv2dBackwardOptions): ConvGradients;
  convTranspose2dBackward(input: TensorLike, weight: TensorLike, gradOutput: TensorLike, options?: ConvTranspose2dBackwardOptions): ConvGradients;
  maxPool2d(input: TensorLike, options: MaxPool2dOptions & { returnIndices: true }): { output: Tensor; indices: IndexTensor };
  maxPool2d(input: TensorLike, options: MaxPool2dOptions & { returnIndices?: false }): Tensor;
  avgPool2d(input: TensorLike, options: AvgPool2dOptions): Tensor;

  conv1dOutputShape(inputShape: number[], weightShape: number[], options?: Conv1dOptions, biasShape?: number[] | null): ShapeCheck;
  convTranspose1dOutputShape(inputShape: number[], weightShape: number[], options?: ConvTranspose1dOptions, biasShape?: number[] | null): ShapeCheck;
  conv3dOutputShape(inputShape: number[], weightShape: number[], options?: Conv3dOptions, biasShape?: number[] | null): ShapeCheck;
  convTranspose3dOutputShape(inputShape: number[], weightShape: number[], options?: ConvTranspose3dOptions, biasShape?: number[] | null): ShapeCheck;
  /** shape: gradInput's (the input's) when the call is valid. */
  conv2dBackwardOutputShape(inputShape: number[], weightShape: number[], gradOutputShape: number[], options?: Conv2dBackwardOptions): ShapeCheck;
  convTranspose2dBackwardOutputShape(inputShape: number[], weightShape: number[], gradOutputShape: number[], options?: ConvTranspose2dBackwardOptions): ShapeCheck;
  maxPool2dOutputShape(inputShape: number[], options: MaxPool2dOptions): ShapeCheck;
  avgPool2dOutputShape(inputShape: number[], options: AvgPool2dOptions): ShapeCheck;

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
 * Instantiates the WebAssembly module. Engines that validate relaxed SIMD run the relaxed-SIMD
 * build (convplay-relaxed.mjs / .js, loaded from beside this file; fused multiply-adds, so its
 * results differ from the others' in the last bits); others the SIMD build embedded in this
 * file; engines without WebAssembly SIMD the scalar build (convplay-scalar.mjs / .js).
 * `{ relaxed: false }` forces the SIMD build (bit-reproducible), `{ simd: false }` the scalar
 * one. `backend` tells which one runs.
 */
export function load(options?: { simd?: boolean; relaxed?: boolean; [emscriptenOption: string]: unknown }): Promise<Convplay>;
/** Whether this engine can run the SIMD build: it validates WebAssembly SIMD and bulk memory (feature detection). */
export function simdSupported(): boolean;
/** Whether this engine can run the relaxed-SIMD build: it validates f32x4.relaxed_madd and the SIMD build's features. */
export function relaxedSupported(): boolean;
export default load;
export function tensor(nested: NestedArray[]): Tensor;
export function toNested(t: Tensor): NestedArray;
