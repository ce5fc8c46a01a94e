// The demo drop root behind `dstats demo`.
export { writeDemoDropRoot, buildDemoFiles, DEFAULT_DEMO_SEED, type DemoOptions } from './write-demo.js';
export type { DemoManifest, DemoSlot, DemoSlotSubmission } from './manifest.js';
