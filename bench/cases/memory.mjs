// Case 7: resident memory of the memory store holding 100,000 nonces and
// 10,000 associations, and after cleanup, measured in a fresh process.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJsonProcess, SERVER_CORE } from '../lib/proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));

export async function memoryCase(settings) {
  settings.log('case 7: memory store, resident memory');
  const nonces = settings.smoke ? 10_000 : 100_000;
  const associations = settings.smoke ? 1000 : 10_000;
  const result = await runJsonProcess(process.execPath, ['--expose-gc', join(here, '..', 'consumer', 'memory.mjs'), String(nonces), String(associations)], { core: SERVER_CORE });
  const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
  return {
    id: 7,
    name: 'memory store',
    ...result,
    facts: [
      { label: `RSS, empty store`, value: mb(result.baseline.rss) },
      { label: `+ ${nonces.toLocaleString('en-US')} nonces`, value: `${mb(result.nonces.rss - result.baseline.rss)} RSS (${Math.round((result.nonces.heap - result.baseline.heap) / nonces)} bytes of heap each)` },
      { label: `+ ${associations.toLocaleString('en-US')} associations`, value: `${mb(result.associations.rss - result.nonces.rss)} RSS (${Math.round((result.associations.heap - result.nonces.heap) / associations)} bytes of heap each)` },
      { label: 'after cleanup (all expired)', value: `${mb(result.cleaned.rss)} RSS, heap ${mb(result.cleaned.heap)} (empty: ${mb(result.baseline.heap)}); removed ${result.removed.nonces} nonces, ${result.removed.associations} associations` },
    ],
  };
}
