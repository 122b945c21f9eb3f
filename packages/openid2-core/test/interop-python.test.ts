/**
 * Cross-checks against an independent implementation, Debian's
 * python3-openid: the same signatures, the same Diffie-Hellman results in
 * both directions, the same integer encoding.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describeWith, pythonOpenIDAvailability, run, SYSTEM_PYTHON } from 'openid-test-helpers';
import { Association, type AssociationType } from '../src/association.js';
import { createConsumerSession, createServerSession, newSecret, type SessionType } from '../src/association-session.js';
import { base64ToInt, intToBase64 } from '../src/btwoc.js';
import { DEFAULT_DH_GENERATOR, DEFAULT_DH_MODULUS, DiffieHellman } from '../src/diffie-hellman.js';
import { Message } from '../src/message.js';
import { OPENID2_NS, SREG_1_1_NS } from '../src/constants.js';
import { MODP_2048 } from './dh-groups.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/python_crypto.py', import.meta.url));

async function python<T>(request: unknown): Promise<T> {
  return JSON.parse(await run(SYSTEM_PYTHON, [SCRIPT], { input: JSON.stringify(request), timeoutMs: 120_000 })) as T;
}

// Enough exchanges that some shared secrets need btwoc's leading zero byte
// or lose a leading zero byte: about one in a few hundred does. The forced
// cases below make sure of both, whatever the random keys.
const EXCHANGES = 300;

const P = DEFAULT_DH_MODULUS;

// Test-only reference arithmetic: square-and-multiply over bigint.
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** A random 64-bit private exponent known to the test, so shared secrets can be predicted. */
const knownPrivate = (): bigint => randomBytes(8).readBigUInt64BE() | 1n;

// Shared secrets that break implementations hashing OpenSSL's padded output
// or skipping btwoc's sign byte (§4.2, §8.2.3).
const SHAPES = [
  ['shorter than the modulus', (shared: bigint) => shared < 1n << 1015n],
  ['a zero top byte before a high bit', (shared: bigint) => shared >= 1n << 1015n && shared < 1n << 1016n],
  ['the high bit set', (shared: bigint) => shared >> 1023n === 1n],
] as const;

const assocTypeOf = (sessionType: SessionType): AssociationType => (sessionType === 'DH-SHA1' ? 'HMAC-SHA1' : 'HMAC-SHA256');

const withPrefix = (args: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(args).map(([k, v]) => [`openid.${k}`, v]));

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  test('integers encode the same (§4.2)', async () => {
    const numbers = [0n, 127n, 128n, 255n, 256n, 32768n, 2n ** 1023n + 12345n, 2n ** 1024n - 1n, DEFAULT_DH_MODULUS];
    for (let i = 0; i < 40; i += 1) numbers.push(BigInt(`0x${randomBytes(1 + i * 3).toString('hex')}`));
    const theirs = await python<string[]>({ kind: 'long_to_base64', numbers: numbers.map(String) });
    expect(numbers.map(intToBase64)).toEqual(theirs);
    const back = await python<string[]>({ kind: 'base64_to_long', texts: theirs });
    expect(back).toEqual(numbers.map(String));
    expect(theirs.map((text) => base64ToInt(text))).toEqual(numbers);
  });

  test('the default group is the same (Appendix B)', async () => {
    expect(await python<string[]>({ kind: 'defaults' })).toEqual([String(DEFAULT_DH_MODULUS), String(DEFAULT_DH_GENERATOR)]);
  });

  test.each(['HMAC-SHA1', 'HMAC-SHA256'] as AssociationType[])('%s signatures agree, UTF-8 values included (§6)', async (assocType) => {
    const cases = [];
    const ours = [];
    for (let i = 0; i < 20; i += 1) {
      const secret = newSecret(assocType);
      const message = new Message(OPENID2_NS);
      message.updateArgs(OPENID2_NS, { mode: 'id_res', return_to: `http://rp.example/r?i=${i}`, identity: `http://op.example/zoë/${i}` });
      message.setArg(SREG_1_1_NS, 'fullname', `Zoë 東京 ${'ü'.repeat(i)} trailing `);
      const association = new Association({ handle: `h${i}`, secret, issued: 0, lifetime: 3600, assocType });
      association.signMessage(message);
      ours.push(message.getArg(OPENID2_NS, 'sig'));
      const args = message.toPostArgs();
      delete args['openid.sig'];
      cases.push({ handle: `h${i}`, secret: secret.toString('base64'), assoc_type: assocType, args });
    }
    const theirs = await python<string[]>({ kind: 'sign', cases });
    expect(ours).toEqual(theirs);
  });

  test.each(['DH-SHA1', 'DH-SHA256'] as SessionType[])(
    '%s: our relying party and their OP agree on the MAC key',
    async (sessionType) => {
      const assocType = assocTypeOf(sessionType);
      const sessions = Array.from({ length: EXCHANGES }, () => createConsumerSession(sessionType));
      const secrets = sessions.map(() => newSecret(assocType));
      const cases = sessions.map((session, i) => ({
        session_type: sessionType,
        secret: secrets[i]?.toString('base64'),
        request: withPrefix(session.requestArgs()),
      }));
      const answers = await python<Array<Record<string, string>>>({ kind: 'server_answer', cases });
      const mismatches = answers.filter((answer, i) => !sessions[i]?.extractSecret(answer, assocType).equals(secrets[i] as Buffer));
      expect(mismatches).toHaveLength(0);
    },
    120_000,
  );

  test.each(['DH-SHA1', 'DH-SHA256'] as SessionType[])(
    '%s: their relying party and our OP agree on the MAC key',
    async (sessionType) => {
      const assocType = assocTypeOf(sessionType);
      const requests = await python<Array<{ request: Record<string, string>; private: string }>>({
        kind: 'consumer_requests',
        count: EXCHANGES,
        session_type: sessionType,
      });
      const secrets = requests.map(() => newSecret(assocType));
      const cases = requests.map((entry, i) => ({
        session_type: sessionType,
        private: entry.private,
        response: createServerSession(sessionType, entry.request).answer(secrets[i] as Buffer),
      }));
      const extracted = await python<string[]>({ kind: 'consumer_extract', cases });
      expect(extracted).toEqual(secrets.map((secret) => secret.toString('base64')));
    },
    120_000,
  );
  test.each(['DH-SHA1', 'DH-SHA256'] as SessionType[])(
    '%s: forced shared-secret shapes agree in both directions',
    async (sessionType) => {
      const assocType = assocTypeOf(sessionType);
      // Our relying party, their OP: pick the OP's private key so the shared secret has the shape.
      const oursAsRP = SHAPES.map(([, wanted]) => {
        const dh = new DiffieHellman();
        let x = knownPrivate();
        while (!wanted(modPow(dh.publicKey, x, P))) x = knownPrivate();
        const session = createConsumerSession(sessionType, { dh });
        return { session, x, secret: newSecret(assocType) };
      });
      const answers = await python<Array<Record<string, string>>>({
        kind: 'server_answer',
        cases: oursAsRP.map(({ session, x, secret }) => ({
          session_type: sessionType,
          secret: secret.toString('base64'),
          private: String(x),
          request: withPrefix(session.requestArgs()),
        })),
      });
      answers.forEach((answer, i) => {
        const entry = oursAsRP[i];
        expect(entry?.session.extractSecret(answer, assocType).equals(entry.secret)).toBe(true);
      });
      // Their relying party, our OP: answer until our random key gives the shape.
      const theirsAsRP = SHAPES.map(([, wanted]) => {
        const x = knownPrivate();
        const request = { dh_consumer_public: intToBase64(modPow(DEFAULT_DH_GENERATOR, x, P)) };
        const secret = newSecret(assocType);
        for (;;) {
          const response = createServerSession(sessionType, request).answer(secret);
          const serverPublic = base64ToInt(response.dh_server_public as string);
          if (wanted(modPow(serverPublic, x, P))) return { private: String(x), response, secret };
        }
      });
      const extracted = await python<string[]>({
        kind: 'consumer_extract',
        cases: theirsAsRP.map((entry) => ({ session_type: sessionType, private: entry.private, response: entry.response })),
      });
      expect(extracted).toEqual(theirsAsRP.map((entry) => entry.secret.toString('base64')));
    },
    120_000,
  );

  test('a custom 2048-bit group: our relying party and their OP agree (§8.1.2)', async () => {
    const sessions = Array.from({ length: 5 }, () => createConsumerSession('DH-SHA256', { dh: new DiffieHellman({ modulus: MODP_2048 }) }));
    const secrets = sessions.map(() => newSecret('HMAC-SHA256'));
    const answers = await python<Array<Record<string, string>>>({
      kind: 'server_answer',
      cases: sessions.map((session, i) => ({
        session_type: 'DH-SHA256',
        secret: secrets[i]?.toString('base64'),
        request: withPrefix(session.requestArgs()),
      })),
    });
    answers.forEach((answer, i) => expect(sessions[i]?.extractSecret(answer, 'HMAC-SHA256').equals(secrets[i] as Buffer)).toBe(true));
  });
});
