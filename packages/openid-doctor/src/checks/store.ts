/**
 * The store: reachable with its schema in place (an association and a
 * nonce make the round trip), and its nonce window agreeing with this
 * machine's clock (a store on another clock refuses fresh nonces, or takes
 * stale ones).
 * @see OpenID 2.0 §11.3 (nonces)
 */
import { randomBytes } from 'node:crypto';
import { Association, type OpenIDStore } from 'openid2-core';
import { newHandle } from 'openid2-core/internals';
import { finding, type Finding } from '../finding.js';

const PROBE_KEY = 'https://openid-doctor.invalid/probe';
const salt = (): string => randomBytes(12).toString('hex');

/**
 * Round-trips an association and a nonce through the store: an unreachable
 * store, a missing schema, an association not given back, or a nonce window
 * at odds with this machine's clock is a finding.
 * @param prefix `rp` or `op`
 * @param now this machine's clock, in milliseconds
 */
export async function checkStore(prefix: string, store: OpenIDStore, now: () => number = Date.now): Promise<Finding[]> {
  const seconds = Math.floor(now() / 1000);
  try {
    const association = new Association({ handle: newHandle('HMAC-SHA256', seconds), secret: randomBytes(32), issued: seconds, lifetime: 86400, assocType: 'HMAC-SHA256' });
    await store.storeAssociation(PROBE_KEY, association);
    const back = await store.getAssociation(PROBE_KEY, association.handle);
    await store.removeAssociation(PROBE_KEY, association.handle);
    if (back === undefined || back.handle !== association.handle) {
      return [finding(`${prefix}.store_loses_associations`, 'error', 'the store did not give back an association just stored: check its clock (expiry) and backend')];
    }
    const fresh = await store.useNonce(PROBE_KEY, seconds, salt());
    const early = await store.useNonce(PROBE_KEY, seconds - 600, salt());
    const late = await store.useNonce(PROBE_KEY, seconds + 600, salt());
    const stale = await store.useNonce(PROBE_KEY, seconds - 2 * 86400, salt());
    const findings: Finding[] = [];
    if (!fresh || !early || !late) {
      findings.push(finding(`${prefix}.store_clock_skew`, 'error', "the store refuses a nonce within 10 minutes of this machine's time: its clock or skew window disagrees with this machine's; sync clocks (NTP)"));
    }
    if (stale) findings.push(finding(`${prefix}.store_window_too_wide`, 'warning', 'the store accepts a two-day-old nonce: its skew window is too wide (or its clock is far off), replays stay possible that long'));
    return findings;
  } catch (error) {
    return [finding(`${prefix}.store_unreachable`, 'error', `the store failed (${(error as Error).message.split('\n')[0]}): check the connection and that its schema exists`)];
  }
}
