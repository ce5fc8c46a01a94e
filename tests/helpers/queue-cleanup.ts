// Setup file of every test file (vitest.config.ts): once the file's own hooks have closed its
// queues and workers, its queue keys leave Redis, so a shared Redis does not fill up run by run.
import { afterAll } from 'vitest';
import { removeTestQueues } from './services.js';

afterAll(removeTestQueues);
