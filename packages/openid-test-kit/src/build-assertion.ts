/**
 * Builds the positive assertions attacks start from: the provider's honest
 * answer, or a variant (another claimed identifier, endpoint, return_to or
 * nonce time, fields left unsigned, another key).
 * @see OpenID 2.0 §10.1
 */
import { answerProfile, Message, OPENID_NS, type Association, type CheckIDRequest, type Profile } from 'openid2-core';
import { makeNonce } from 'openid2-core/internals';
import { impostorOf, setValue, signPairs, type Pairs } from './assertion.js';
import type { AssertOptions } from './attacks.js';
import { STEAM_SIGNED_FIELDS } from './steam.js';

/** A key to sign with, and a handle to tell the relying party to drop. */
export interface Signer {
  association: Association;
  invalidate?: string;
}

export interface Signers {
  /** The provider's association for this request: the relying party's shared one, else a fresh private one. */
  provider(request: CheckIDRequest): Promise<Signer>;
  /** A fresh private association of the attacker's provider. */
  attacker(): Promise<Signer>;
}

export interface AssertionSetup {
  request: CheckIDRequest;
  steam: boolean;
  endpoint: string;
  signers: Signers;
  claimedIdOf(user: string): string;
  profileOf(user: string): Profile;
}

const PLACEHOLDER = 'http://placeholder.invalid/';
const PREFIX = 'openid.';

/** A signed positive assertion answering `setup.request`, varied by `options`. */
export async function buildAssertion(setup: AssertionSetup, options: AssertOptions & { user: string }): Promise<Pairs> {
  const { request } = setup;
  const claimedId = options.claimedId ?? setup.claimedIdOf(options.user);
  const message = new Message(request.namespace);
  message.setArg(OPENID_NS, 'mode', 'id_res');
  const v2 = message.isOpenID2();
  if (v2) {
    message.setArg(OPENID_NS, 'op_endpoint', options.opEndpoint ?? setup.endpoint);
    message.setArg(OPENID_NS, 'claimed_id', PLACEHOLDER);
  }
  message.setArg(OPENID_NS, 'identity', PLACEHOLDER);
  message.setArg(OPENID_NS, 'return_to', options.returnTo ?? request.returnTo);
  if (v2) message.setArg(OPENID_NS, 'response_nonce', makeNonce(Date.now() + (options.nonceShiftMs ?? 0)));
  if (!setup.steam && options.extensions !== false) {
    for (const extension of answerProfile(request.message, setup.profileOf(options.user))) {
      for (const [key, value] of Object.entries(extension.args)) message.setArg(extension.namespace, key, value);
    }
  }
  // The identifiers go in as raw pairs: a forged one may hold what Message refuses (a NUL byte).
  let pairs: Pairs = Object.entries(message.toPostArgs());
  pairs = setValue(pairs, 'openid.identity', claimedId);
  if (v2) pairs = setValue(pairs, 'openid.claimed_id', claimedId);
  const kind = options.signer ?? 'provider';
  const signer = kind === 'attacker' ? await setup.signers.attacker() : await setup.signers.provider(request);
  if (signer.invalidate !== undefined) pairs = setValue(pairs, 'openid.invalidate_handle', signer.invalidate);
  const association = kind === 'impostor' ? impostorOf(signer.association) : signer.association;
  const all = setup.steam ? [...STEAM_SIGNED_FIELDS] : [...pairs.map(([key]) => key.slice(PREFIX.length)), 'assoc_handle'];
  const unsigned = new Set(options.unsigned ?? []);
  return signPairs(association, pairs, all.filter((field) => !unsigned.has(field)));
}
