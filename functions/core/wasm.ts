/**
 * A small WebAssembly encoder, for the few inner loops that run as WebAssembly (the tagger's
 * kernel, the line scan): the module is built by code at load, so there is no toolchain and nothing
 * generated in the repository. Only what those loops use is here; names follow the text format.
 */

export const I32 = 0x7f;
export const I64 = 0x7e;

const uleb = (v: number): number[] => {
  if (v >= 0 && v < 0x80) return [v];
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
};
const sleb = (v: number): number[] => {
  if (v >= -0x40 && v < 0x40) return [v & 0x7f];
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** An instruction with one unsigned immediate (most are under 128: one byte, made without a spread). */
const withIndex = (opcode: number, v: number): number[] => (v >= 0 && v < 0x80 ? [opcode, v] : [opcode, ...uleb(v)]);
/** A load or store: its alignment hint, then the static offset added to its address. */
const memory = (opcode: number, align: number, offset: number): number[] =>
  offset >= 0 && offset < 0x80 ? [opcode, align, offset] : [opcode, align, ...uleb(offset)];

/** Instructions. Loads and stores take the static offset added to their address; their alignment hint is the natural one. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (l: number) => withIndex(0x0c, l),
  brIf: (l: number) => withIndex(0x0d, l),
  call: (f: number) => withIndex(0x10, f),
  select: [0x1b],
  get: (x: number) => withIndex(0x20, x),
  set: (x: number) => withIndex(0x21, x),
  tee: (x: number) => withIndex(0x22, x),
  i32Load: (offset: number) => memory(0x28, 2, offset),
  i32Load8u: (offset: number) => memory(0x2d, 0, offset),
  i32Load8s: (offset: number) => memory(0x2c, 0, offset),
  i32Load16u: (offset: number) => memory(0x2f, 1, offset),
  i64Load: (offset: number) => memory(0x29, 3, offset),
  i64Load32: (offset: number) => memory(0x34, 2, offset),
  i64Store: (offset: number) => memory(0x37, 3, offset),
  i32Store: (offset: number) => memory(0x36, 2, offset),
  i32Store8: (offset: number) => memory(0x3a, 0, offset),
  i32Store16: (offset: number) => memory(0x3b, 1, offset),
  i32: (v: number) => (v >= -0x40 && v < 0x40 ? [0x41, v & 0x7f] : [0x41, ...sleb(v)]),
  i64: (v: number) => [0x42, ...sleb(v)],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32GtS: [0x4a],
  i32LeS: [0x4c],
  i32GtU: [0x4b],
  i32GeS: [0x4e],
  i32GeU: [0x4f],
  i64GtS: [0x55],
  i64GeS: [0x59],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Or: [0x72],
  i32Xor: [0x73],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  i32FromI64: [0xa7],
  i64FromI32: [0xac],
  i64Add: [0x7c],
  i64Sub: [0x7d],
  i64And: [0x83],
  i64ShrU: [0x88],
  return_: [0x0f],
  /** memory.fill(address, value, bytes) (bulk memory). */
  memoryFill: [0xfc, 0x0b, 0x00],
  v128Load: (offset: number) => [0xfd, ...uleb(0), 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(11), 4, ...uleb(offset)],
  i32x4Add: [0xfd, ...uleb(174)],
};

/**
 * A function body being written: `push` appends instructions (each an array of bytes) to `code`.
 * Code is written once per process, at first use, mostly by the interpreter: no spread per byte.
 */
export function assembler(): { code: number[]; push: (...parts: number[][]) => void } {
  const code: number[] = [];
  const push = (...parts: number[][]) => {
    for (const p of parts) for (let k = 0; k < p.length; k++) code.push(p[k] as number);
  };
  return { code, push };
}

export interface FunctionSpec {
  /** Parameter and result types. */
  params: number[];
  results: number[];
  /** Locals after the parameters: [count, type]. */
  locals: Array<[number, number]>;
  /** The body's instructions (without the final end). */
  code: number[];
  /** The name it is exported under. */
  export: string;
}

/**
 * A module importing its memory as env.memory and the functions `imports` (env.<name>, before its
 * own in the function index space), defining `functions`.
 */
export function wasmModule(imports: Array<{ name: string; params: number[]; results: number[] }>, functions: FunctionSpec[]): WebAssembly.Module {
  const types = [...imports, ...functions].map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bodies = functions.map((f) => {
    const b = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.code, ...op.end];
    return [...uleb(b.length), ...b];
  });
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(
      2,
      vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)], ...imports.map((f, k) => [...name('env'), ...name(f.name), 0x00, ...uleb(k)])]),
    ),
    ...section(3, vec(functions.map((_, k) => uleb(imports.length + k)))),
    ...section(7, vec(functions.map((f, k) => [...name(f.export), 0x00, ...uleb(imports.length + k)]))),
    ...section(10, vec(bodies)),
  ];
  return new WebAssembly.Module(new Uint8Array(bytes));
}
