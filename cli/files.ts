import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Files named, and the files directly inside directories named, in a stable order; README and dotfiles skipped. */
export function listInputs(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    const st = statSync(a);
    if (st.isDirectory()) {
      for (const f of readdirSync(a).sort()) {
        const p = path.join(a, f);
        if (f.startsWith('.') || /^readme(\.md)?$/i.test(f) || !statSync(p).isFile()) continue;
        out.push(p);
      }
    } else out.push(a);
  }
  return out;
}
