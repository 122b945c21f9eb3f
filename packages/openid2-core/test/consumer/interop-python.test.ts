/**
 * Our consumer against Debian's python3-openid as the OP: smart and
 * stateless, OpenID 2.0 and 1.1, delegation, identifier select, immediate
 * mode, cancel.
 */
import { fileURLToPath } from 'node:url';
import { describeWith, pythonOpenIDAvailability, startPythonOP, type PythonOP } from 'openid-test-helpers';
import { Consumer } from '../../src/consumer/consumer.js';
import { objectSession } from '../../src/consumer/session.js';
import type { CompletionResult } from '../../src/consumer/result.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { normalizeProfile, profileRequest } from '../../src/extensions/profile.js';
import { AX_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';

const SCRIPT = fileURLToPath(new URL('../fixtures/python_server.py', import.meta.url));
const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 5000 });
const RP = 'http://rp.example/return';

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  let python: PythonOP;
  let base: string;
  beforeAll(async () => {
    python = await startPythonOP(SCRIPT);
    base = python.base;
  });
  afterAll(() => python.close());

  const policy = (value: 'allow' | 'cancel' | 'setup'): Promise<void> => python.policy(value);

  async function login(identifier: string, options: { stateless?: boolean; immediate?: boolean; returnTo?: string } = {}): Promise<CompletionResult> {
    const session = objectSession({});
    const consumer = new Consumer({ store: options.stateless === true ? undefined : new MemoryStore(), fetcher });
    const auth = await consumer.begin(session, identifier);
    const response = await fetch(auth.redirectUrl('http://rp.example/', options.returnTo ?? RP, { immediate: options.immediate ?? false }), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const url = response.headers.get('location') as string;
    return consumer.complete(session, new URL(url).searchParams, url);
  }

  test.each([['smart', false], ['stateless', true]])('OpenID 2.0, %s', async (_name, stateless) => {
    await policy('allow');
    expect(await login(`${base}/user/alice`, { stateless })).toMatchObject({ status: 'success', claimedId: `${base}/user/alice` });
  });

  test.each([['smart', false], ['stateless', true]])('OpenID 1.1, %s', async (_name, stateless) => {
    await policy('allow');
    expect(await login(`${base}/v1/bob`, { stateless })).toMatchObject({ status: 'success', claimedId: `${base}/v1/bob` });
  });

  test('delegation and identifier select', async () => {
    await policy('allow');
    expect(await login(`${base}/delegated/carol`)).toMatchObject({ status: 'success', claimedId: `${base}/delegated/carol`, identity: `${base}/user/carol` });
    expect(await login(`${base}/idp`)).toMatchObject({ status: 'success', claimedId: `${base}/user/alice` });
  });

  test('SREG and AX answers from its OP, UTF-8 intact, into one profile', async () => {
    await policy('allow');
    const session = objectSession({});
    const consumer = new Consumer({ store: new MemoryStore(), fetcher });
    const auth = await consumer.begin(session, `${base}/user/alice`);
    const { sreg, ax } = profileRequest({ required: ['email'], optional: ['nickname', 'fullname', 'firstName'] });
    auth.addExtensionArgs(SREG_1_1_NS, sreg.args).addExtensionArgs(AX_1_0_NS, ax.args);
    const response = await fetch(auth.redirectUrl('http://rp.example/', RP), { redirect: 'manual' });
    const url = response.headers.get('location') as string;
    const result = await consumer.complete(session, new URL(url).searchParams, url);
    expect(result.status).toBe('success');
    if (result.status !== 'success') return;
    const profile = normalizeProfile({ sreg: result.getSignedArgs(SREG_1_1_NS), ax: result.getSignedArgs(AX_1_0_NS) });
    expect(profile).toEqual({ email: 'zoë@example.com', nickname: 'zoë', fullname: 'Zoë 東京', firstName: 'Zoë' });
  });

  test('cancel, and setup needed in immediate mode (2.0 and 1.1, with its user_setup_url)', async () => {
    await policy('cancel');
    expect((await login(`${base}/user/alice`)).status).toBe('cancel');
    await policy('setup');
    expect(await login(`${base}/user/alice`, { immediate: true })).toEqual({ status: 'setup_needed', setupUrl: undefined });
    const v1 = await login(`${base}/v1/bob`, { immediate: true });
    expect(v1.status).toBe('setup_needed');
    if (v1.status === 'setup_needed') expect(v1.setupUrl).toMatch(new RegExp(`^${base}/openid\\?`));
    await policy('allow');
  });

  test('immediate mode, allowed: success (2.0 and 1.1)', async () => {
    await policy('allow');
    expect(await login(`${base}/user/alice`, { immediate: true })).toMatchObject({ status: 'success' });
    expect(await login(`${base}/v1/bob`, { immediate: true })).toMatchObject({ status: 'success' });
  });

  test('a return_to with UTF-8 arguments, both versions', async () => {
    await policy('allow');
    const returnTo = `${RP}?next=${encodeURIComponent('/café/東京')}`;
    expect(await login(`${base}/user/alice`, { returnTo })).toMatchObject({ status: 'success' });
    expect(await login(`${base}/v1/bob`, { returnTo, stateless: true })).toMatchObject({ status: 'success' });
  });

  test('a tampered answer from its OP fails, smart and stateless', async () => {
    await policy('allow');
    for (const stateless of [false, true]) {
      const session = objectSession({});
      const consumer = new Consumer({ store: stateless ? undefined : new MemoryStore(), fetcher });
      const auth = await consumer.begin(session, `${base}/user/alice`);
      const response = await fetch(auth.redirectUrl('http://rp.example/', RP), { redirect: 'manual' });
      const url = new URL(response.headers.get('location') as string);
      url.searchParams.set('openid.identity', `${base}/user/mallory`);
      url.searchParams.set('openid.claimed_id', `${base}/user/mallory`);
      const result = await consumer.complete(session, url.searchParams, url.href);
      expect(result).toMatchObject({ status: 'failure', reason: stateless ? 'check_authentication_failed' : 'signature_mismatch' });
    }
  });
});
