#!/usr/bin/env node
// Entry point of the `dstats` command: runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
const code = await main(process.argv);
// Exit explicitly: a freshly initialised PGlite keeps a timer alive for several seconds after close.
process.stdout.write('', () => process.exit(code));
