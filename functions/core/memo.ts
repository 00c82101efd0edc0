/**
 * A function of a word with its results kept across calls, and so across the articles a process
 * handles: a news vocabulary repeats. The cache is bounded: it starts over when it holds `max` entries.
 */
export function memoized<T>(fn: (word: string) => T, max = 200_000): (word: string) => T {
  const cache = new Map<string, T>();
  return (word) => {
    let v = cache.get(word);
    if (v === undefined) {
      v = fn(word);
      if (cache.size >= max) cache.clear();
      cache.set(word, v);
    }
    return v;
  };
}
