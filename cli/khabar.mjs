#!/usr/bin/env node
// The `khabar` command. The TypeScript sources run directly through tsx: nothing to build first.
import { register } from 'tsx/esm/api';

// The SDK warns that its 2027 releases will need Node 22; the CLI supports Node 20 until then (Lambda runs 22).
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning?.message ?? warning).includes('AWS SDK for JavaScript (v3)')) return;
  emitWarning(warning, ...rest);
};
register();
await import('./main.ts');
