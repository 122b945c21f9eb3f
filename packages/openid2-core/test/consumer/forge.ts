/**
 * Hand-made assertions for the verification tests: signed with an
 * association the relying party holds (as a genuine OP, or a rogue one the
 * relying party is associated with, would sign them), or not at all.
 */
import { randomBytes } from 'node:crypto';
import { Association } from '../../src/association.js';
import { OPENID2_NS } from '../../src/constants.js';
import { Message, OPENID_NS } from '../../src/message.js';
import { makeNonce } from '../../src/nonce.js';

/** A fresh association (HMAC-SHA256 unless told) with a known secret. */
export function knownAssociation(options: { issued?: number; lifetime?: number; handle?: string; assocType?: 'HMAC-SHA1' | 'HMAC-SHA256' } = {}): Association {
  const assocType = options.assocType ?? 'HMAC-SHA256';
  return new Association({
    handle: options.handle ?? `{${assocType}}{${randomBytes(6).toString('hex')}}`,
    secret: randomBytes(assocType === 'HMAC-SHA1' ? 20 : 32),
    issued: options.issued ?? Math.floor(Date.now() / 1000),
    lifetime: options.lifetime ?? 3600,
    assocType,
  });
}

export interface ForgeOptions {
  /** Signs with it; without one, the assertion carries this handle and a random signature. */
  association?: Association;
  handle?: string;
  opEndpoint: string;
  claimedId: string;
  identity?: string;
  returnTo: string;
  nonce?: string;
  /** More `openid.*` fields (without the prefix), e.g. `{ 'ns.sreg': SREG_1_1_NS, 'sreg.email': ... }`. */
  extra?: Record<string, string>;
  /** Fields to sign (default: the six §10.1 requires, the extra ones too). */
  signed?: string[];
  /** OpenID 1.x form (no ns, op_endpoint, claimed_id, nonce). */
  openid1?: boolean;
  /** Fields to leave out (and not sign). */
  omit?: string[];
}

/** The assertion as the OP would redirect it: return_to plus the `openid.*` query. */
export function forgeAssertion(options: ForgeOptions): string {
  const v1 = options.openid1 === true;
  const fields: Record<string, string> = v1
    ? { mode: 'id_res', identity: options.identity ?? options.claimedId, return_to: options.returnTo }
    : {
        ns: OPENID2_NS,
        mode: 'id_res',
        op_endpoint: options.opEndpoint,
        claimed_id: options.claimedId,
        identity: options.identity ?? options.claimedId,
        return_to: options.returnTo,
        response_nonce: options.nonce ?? makeNonce(),
      };
  const omit = new Set(options.omit ?? []);
  const entries = Object.entries({ ...fields, ...(options.extra ?? {}) }).filter(([key]) => !omit.has(key));
  const wire = Message.fromOpenIDArgs(entries);
  const defaults = v1 ? ['return_to', 'identity'] : ['op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce'];
  const signed = (options.signed ?? [...defaults, ...Object.keys(options.extra ?? {})]).filter((field) => !omit.has(field));
  if (options.association !== undefined) {
    options.association.signMessage(wire, signed);
  } else {
    wire.setArg(OPENID_NS, 'assoc_handle', options.handle ?? '{HMAC-SHA256}{forged}');
    wire.setArg(OPENID_NS, 'signed', [...signed, 'assoc_handle', 'signed'].join(','));
    wire.setArg(OPENID_NS, 'sig', randomBytes(32).toString('base64'));
  }
  return wire.toURL(options.returnTo);
}
