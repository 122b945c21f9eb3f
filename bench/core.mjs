// Protocol primitives in process: message parsing and encoding, key-value
// form, and (when built) signatures and Diffie-Hellman.
import { measure, printTable } from './lib-measure.mjs';

const core = await import('../packages/openid2-core/dist/index.js');
const { Message, kvForm, OPENID2_NS, SREG_1_1_NS } = core;

const assertion = {
  'openid.ns': OPENID2_NS,
  'openid.mode': 'id_res',
  'openid.op_endpoint': 'https://op.example.com/openid',
  'openid.claimed_id': 'https://op.example.com/user/alice',
  'openid.identity': 'https://op.example.com/user/alice',
  'openid.return_to': 'https://rp.example.com/openid/return?state=abc',
  'openid.response_nonce': '2026-11-25T04:00:00Zabcdef',
  'openid.assoc_handle': '{HMAC-SHA256}{6767abcd}{xyzw==}',
  'openid.ns.sreg': SREG_1_1_NS,
  'openid.sreg.email': 'alice@example.com',
  'openid.sreg.fullname': 'Alice Zoë',
  'openid.signed': 'op_endpoint,claimed_id,identity,return_to,response_nonce,assoc_handle,ns.sreg,sreg.email,sreg.fullname',
  'openid.sig': 'm6rJ2vVZ2sQvBQ1uXrjC4d6B2hZlA5r8Xq6J2x1Qy8Y=',
};
const message = Message.fromPostArgs(assertion);
const kv = message.toKVForm();

const rows = [];
rows.push(await measure('Message.fromPostArgs (assertion)', () => Message.fromPostArgs(assertion)));
rows.push(await measure('Message.toURL (assertion)', () => message.toURL('https://rp.example.com/openid/return?state=abc')));
rows.push(await measure('kvForm.parse (assertion)', () => kvForm.parse(kv)));
rows.push(await measure('kvForm.serialize (assertion)', () => kvForm.serialize(message.toArgs())));

if (core.Association !== undefined) {
  const { Association } = core;
  const secret = Buffer.alloc(32, 7);
  const association = new Association({ handle: 'h', secret, issued: Math.floor(Date.now() / 1000), lifetime: 3600, assocType: 'HMAC-SHA256' });
  const unsigned = { ...assertion };
  delete unsigned['openid.sig'];
  delete unsigned['openid.signed'];
  const signed = Message.fromPostArgs(unsigned);
  association.signMessage(signed, assertion['openid.signed'].split(','));
  rows.push(await measure('Association.verifyMessage (HMAC-SHA256)', () => association.verifyMessage(signed)));
}
if (core.DiffieHellman !== undefined) {
  const { DiffieHellman } = core;
  const peer = new DiffieHellman();
  rows.push(await measure('DiffieHellman key pair + shared secret (default group)', () => new DiffieHellman().computeSharedSecret(peer.publicKey)));
}
printTable(rows);
