/**
 * The part of the WebAssembly JavaScript API the kernels use (wasm.ts, text-kernel.ts, tagger/wasm.ts). The project's
 * TypeScript libraries (ES2023, Node 20's types) do not declare it; Node.js has had it since version 8.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    /** Adds `pages` pages of 64 KiB; the old buffer is detached. */
    grow(pages: number): number;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
