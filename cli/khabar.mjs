#!/usr/bin/env node
// The `khabar` command. The TypeScript sources run directly through tsx: nothing to build first.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
