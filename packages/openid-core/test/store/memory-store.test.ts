import { runStoreConformance } from 'openid-test-helpers';
import { MemoryStore } from '../../src/store/memory-store.js';

// In-process only: the two-process and fault tests do not apply.
runStoreConformance({
  name: 'MemoryStore',
  create: async (options) => new MemoryStore(options),
});
