/**
 * Cross-checks against an independent implementation, Debian's
 * python3-openid: the same signatures, the same Diffie-Hellman results in
 * both directions, the same integer encoding.
 */
import { fileURLToPath } from 'node:url';
import { describeWith, pythonOpenIDAvailability, run, SYSTEM_PYTHON } from 'openid-test-helpers';
import { Association, type AssociationType } from '../src/association.js';
import { createConsumerSession, createServerSession, newSecret, type SessionType } from '../src/association-session.js';
import { intToBase64 } from '../src/btwoc.js';
import { Message } from '../src/message.js';
import { OPENID2_NS, SREG_1_1_NS } from '../src/constants.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/python_crypto.py', import.meta.url));

async function python<T>(request: unknown): Promise<T> {
  return JSON.parse(await run(SYSTEM_PYTHON, [SCRIPT], { input: JSON.stringify(request), timeoutMs: 120_000 })) as T;
}

// Enough exchanges that some shared secrets need btwoc's leading zero byte
// or lose a leading zero byte: about one in a few hundred does.
const EXCHANGES = 300;

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  test('integers encode the same (§4.2)', async () => {
    const numbers = [0n, 127n, 128n, 255n, 32768n, 2n ** 1023n + 12345n, 2n ** 1024n - 1n];
    const theirs = await python<string[]>({ kind: 'long_to_base64', numbers: numbers.map(String) });
    expect(numbers.map(intToBase64)).toEqual(theirs);
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
      const assocType: AssociationType = sessionType === 'DH-SHA1' ? 'HMAC-SHA1' : 'HMAC-SHA256';
      const sessions = Array.from({ length: EXCHANGES }, () => createConsumerSession(sessionType));
      const secrets = sessions.map(() => newSecret(assocType));
      const cases = sessions.map((session, i) => ({
        session_type: sessionType,
        secret: secrets[i]?.toString('base64'),
        request: Object.fromEntries(Object.entries(session.requestArgs()).map(([k, v]) => [`openid.${k}`, v])),
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
      const assocType: AssociationType = sessionType === 'DH-SHA1' ? 'HMAC-SHA1' : 'HMAC-SHA256';
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
});
