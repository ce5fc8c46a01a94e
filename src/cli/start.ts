// Runs the `dstats` command line and exits with its code. Compiled by `npm run build`, production
// processes start it as `node dist/src/cli/start.js`; src/cli/bin.mjs runs this same file through
// tsx (development: no build step, about 90 MB more memory per process).
import { main } from './main.js';

const code = await main(process.argv);
// Exit explicitly: a freshly initialised PGlite keeps a timer alive for several seconds after close.
process.stdout.write('', () => process.exit(code));
