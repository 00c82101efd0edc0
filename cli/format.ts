/** Plain-text tables for the terminal. Arabic cells are isolated (FSI…PDI) so each reads right to left in its own cell. */
const FSI = '\u2068';
const PDI = '\u2069';
const RTL = /[\u0590-\u08FF]/;

export function truncate(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}

/** Display width, counting combining marks (Arabic diacritics) as zero. */
const width = (s: string) => [...s.replace(/[\u0300-\u036F\u064B-\u065F\u0670\u2068\u2069]/g, '')].length;

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const cell = (s: string, i: number) => {
    const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(s)));
    return RTL.test(s) ? `${FSI}${s}${PDI}${pad}` : `${s}${pad}`;
  };
  const line = (r: string[]) => r.map(cell).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
