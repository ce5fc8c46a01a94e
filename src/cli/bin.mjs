#!/usr/bin/env node
// Entry point of the `dstats` command in a checkout: runs the TypeScript sources through tsx.
// Production processes run the compiled dist/src/cli/start.js instead (`npm run build`).
import { register } from 'tsx/esm/api';

register();
await import('./start.ts');
