/**
 * A function of a word with its results kept across calls, and so across the articles a process
 * handles: a news vocabulary repeats. The cache is bounded: it starts over when it holds `max` entries.
 * A word is kept as a copy of its own (see detached), and the result is computed from that copy.
 */
export function memoized<T>(fn: (word: string) => T, max = 200_000): (word: string) => T {
  const cache = new Map<string, T>();
  return (word) => {
    let v = cache.get(word);
    if (v === undefined) {
      const own = detached(word);
      v = fn(own);
      if (cache.size >= max) cache.clear();
      cache.set(own, v);
    }
    return v;
  };
}

/**
 * A copy of s that shares no memory with a string it was cut from. V8 keeps a slice of a long
 * string as a view of it, so a cached word sliced from an article would keep the whole article
 * alive as long as the cache holds the word. For what is kept across articles, made once per word.
 */
export function detached(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}
