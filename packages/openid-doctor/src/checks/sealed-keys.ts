/**
 * The provider's keys for sealed association handles: a key list the
 * `Server` would refuse, a key that cannot be a random one, one key under two
 * ids, and (for several instances) no sealed handles with no shared store.
 */
import { OpenIDConfigError, type SealedHandlesOptions } from 'openid2-core';
import { SealedHandles } from 'openid2-core/internals';
import { finding, type Finding } from '../finding.js';

/** At least this many distinct byte values in 32 random bytes (a random key has about 30; fewer than 16 happens about never). */
const MIN_DISTINCT_BYTES = 16;

function looksRandom(key: Uint8Array): boolean {
  return new Set(key).size >= MIN_DISTINCT_BYTES;
}

/**
 * Checks the provider's sealing keys (see the module comment): a key list
 * {@link SealedHandles} would refuse, a key that does not look random, one
 * key under two ids, and several instances with neither sealed handles nor a
 * shared store.
 * @param sealed the provider's `sealedHandles` option, if any
 * @param instances how many provider instances serve the endpoint (1 when unknown)
 * @param sharedStore whether every instance reaches the same association store
 */
export function checkSealingKeys(sealed: SealedHandlesOptions | undefined, instances = 1, sharedStore = true): Finding[] {
  if (sealed === undefined) {
    if (instances > 1 && !sharedStore) {
      return [finding('op.instances_without_shared_associations', 'error', `${instances} provider instances without a shared association store or sealed handles: an association made at one instance is unknown at the others; give them one store, or sealedHandles with the same keys`)];
    }
    return [];
  }
  try {
    new SealedHandles(sealed);
  } catch (error) {
    if (error instanceof OpenIDConfigError) return [finding('op.sealed_keys_invalid', 'error', `sealedHandles: ${error.message}`)];
    throw error;
  }
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  for (const { id, key } of sealed.keys) {
    if (!looksRandom(key)) findings.push(finding('op.sealed_key_not_random', 'error', `the sealing key ${id} has only ${new Set(key).size} distinct byte values: it is not a random key; make one with crypto.randomBytes(32)`));
    const hex = Buffer.from(key).toString('hex');
    const other = seen.get(hex);
    if (other !== undefined) findings.push(finding('op.sealed_key_reused', 'warning', `the sealing keys ${other} and ${id} are the same key: a rotation needs a new key`));
    seen.set(hex, id);
  }
  return findings;
}
