/**
 * SimHash (64 bits, as two 32-bit halves) over word 3-shingles of the search form: copies and light
 * rewrites of one text differ in a few bits; different texts in about half. Split into four 16-bit
 * bands, two texts within 3 bits of each other share at least one band exactly (pigeonhole), which
 * makes near-duplicates a lookup of four keys.
 */
import { searchKey } from './normalize';

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function simhash(text: string): string {
  const words = searchKey(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const acc = new Int32Array(64);
  const n = Math.max(1, words.length - 2);
  for (let i = 0; i < n; i++) {
    const shingle = words.slice(i, i + 3).join(' ');
    const halves = [fnv1a(shingle, 0x811c9dc5), fnv1a(shingle, 0x050c5d1f)];
    for (let b = 0; b < 64; b++) acc[b] = (acc[b] as number) + (((halves[b >> 5] as number) >>> (b & 31)) & 1 ? 1 : -1);
  }
  let hex = '';
  for (let nib = 15; nib >= 0; nib--) {
    let v = 0;
    for (let k = 3; k >= 0; k--) v = (v << 1) | ((acc[nib * 4 + k] as number) > 0 ? 1 : 0);
    hex += v.toString(16);
  }
  return hex;
}

/** The four 16-bit bands of a simhash, as "band:hex". */
export const simhashBands = (h: string) => [0, 1, 2, 3].map((b) => `${b}:${h.slice(b * 4, b * 4 + 4)}`);

export function hamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i++) {
    let x = Number.parseInt(a[i] as string, 16) ^ Number.parseInt(b[i] as string, 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/** Near-duplicates: at most this many of the 64 bits differ. */
export const NEAR_DUPLICATE_BITS = 3;
