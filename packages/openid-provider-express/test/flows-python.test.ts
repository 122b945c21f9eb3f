/**
 * Our provider against a real relying party: Debian's python3-openid
 * consumer, smart and stateless, OpenID 2.0 and 1.1, delegation, identifier
 * select, immediate mode, deny, and the interaction round trip.
 */
import { fileURLToPath } from 'node:url';
import { CookieClient, describeWith, pythonOpenIDAvailability, readForm, startPythonPeer, type PythonPeer } from 'openid-test-helpers';
import { SREG_1_1_NS } from 'openid2-core';
import { startProvider, type TestProvider } from './app.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/python_consumer.py', import.meta.url));
const RP = 'http://rp.example:8000';

interface Completion { status: string; identity?: string; message?: string; signed?: Record<string, string>; ax?: Record<string, string[]>; setup_url?: string; error?: string }

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  let provider: TestProvider;
  let python: PythonPeer;
  beforeAll(async () => {
    provider = await startProvider();
    python = await startPythonPeer(SCRIPT);
  });
  afterAll(async () => {
    python.close();
    await provider.close();
  });

  /** Runs begin at python, the user agent hops at our provider, and complete at python. */
  async function login(identifier: string, options: { mode?: 'smart' | 'stateless'; immediate?: boolean; profile?: boolean; client?: CookieClient; interact?: (client: CookieClient, location: string) => Promise<string> } = {}): Promise<Completion> {
    const mode = options.mode ?? 'smart';
    const begun = await python.call<{ redirect?: string; error?: string }>({ cmd: 'begin', identifier, realm: `${RP}/`, return_to: `${RP}/return?x=1`, immediate: options.immediate ?? false, mode, profile: options.profile ?? false });
    if (begun.redirect === undefined) throw new Error(`begin failed: ${begun.error}`);
    const client = options.client ?? new CookieClient();
    const first = await client.get(begun.redirect);
    let location = first.location as string;
    if (first.status === 303 && options.interact !== undefined) location = await options.interact(client, location);
    expect(location.startsWith(`${RP}/return`)).toBe(true);
    const url = new URL(location);
    return python.call<Completion>({ cmd: 'complete', query: Object.fromEntries(url.searchParams), url: location, mode });
  }

  test.each(['smart', 'stateless'] as const)('OpenID 2.0, %s', async (mode) => {
    const result = await login(`${provider.base}/user/alice`, { mode });
    expect(result).toMatchObject({ status: 'success', identity: `${provider.base}/user/alice` });
  });

  test.each(['smart', 'stateless'] as const)('OpenID 1.1, %s', async (mode) => {
    const result = await login(`${provider.base}/v1/bob`, { mode });
    expect(result).toMatchObject({ status: 'success', identity: `${provider.base}/v1/bob` });
  });

  test('a delegated identifier', async () => {
    const result = await login(`${provider.base}/delegated/alice`);
    expect(result).toMatchObject({ status: 'success', identity: `${provider.base}/delegated/alice` });
    expect(provider.contexts.at(-1)?.request.identity).toBe(`${provider.base}/user/alice`);
  });

  test('identifier select', async () => {
    const result = await login(`${provider.base}/`);
    expect(result).toMatchObject({ status: 'success', identity: `${provider.base}/user/alice` });
  });

  test('signed SREG values in UTF-8 reach the relying party', async () => {
    provider.decide = () => ({ type: 'allow', extensions: [{ namespace: SREG_1_1_NS, args: { email: 'zoë@example.com', fullname: 'Zoë 東京' } }] });
    try {
      const result = await login(`${provider.base}/user/alice`);
      expect(result.status).toBe('success');
      expect(result.signed).toEqual({ email: 'zoë@example.com', fullname: 'Zoë 東京' });
    } finally {
      provider.decide = (context) => ({ type: 'allow', ...(context.request.idSelect ? { identity: `${provider.base}/user/alice` } : {}) });
    }
  });

  test('its SREG and AX requests reach the hook; released values come back signed (UTF-8)', async () => {
    provider.decide = (context) => {
      expect(context.requested).toEqual({ required: ['email'], optional: ['nickname', 'fullname', 'firstName'] });
      return { type: 'allow', profile: { email: 'zoë@example.com', nickname: 'zoë', firstName: 'Zoë', lastName: 'not requested' } };
    };
    try {
      const result = await login(`${provider.base}/user/alice`, { profile: true });
      expect(result.status).toBe('success');
      expect(result.signed).toEqual({ email: 'zoë@example.com', nickname: 'zoë' });
      expect(result.ax).toEqual({ 'http://axschema.org/contact/email': ['zoë@example.com'], 'http://axschema.org/namePerson/first': ['Zoë'] });
    } finally {
      provider.decide = () => ({ type: 'allow' });
    }
  });

  test('deny is a cancel', async () => {
    provider.decide = () => ({ type: 'deny' });
    try {
      expect((await login(`${provider.base}/user/alice`)).status).toBe('cancel');
    } finally {
      provider.decide = () => ({ type: 'allow' });
    }
  });

  test('immediate mode when the user must interact: setup needed', async () => {
    provider.decide = () => ({ type: 'interact' });
    try {
      expect((await login(`${provider.base}/user/alice`, { immediate: true })).status).toBe('setup_needed');
      expect((await login(`${provider.base}/v1/bob`, { immediate: true })).status).toBe('setup_needed');
    } finally {
      provider.decide = () => ({ type: 'allow' });
    }
  });

  test('the interaction round trip: log in, approve, back to the relying party', async () => {
    provider.decide = () => ({ type: 'interact' });
    try {
      const result = await login(`${provider.base}/`, {
        interact: async (client, location) => {
          expect(location.startsWith(`${provider.base}/login?interaction=`)).toBe(true);
          const page = await client.get(location);
          const form = readForm(page.body);
          form.fields.set('approve', '1');
          const approved = await client.post(`${provider.base}/login`, form.fields);
          expect(approved.status).toBe(302);
          return approved.location as string;
        },
      });
      expect(result).toMatchObject({ status: 'success', identity: `${provider.base}/user/alice` });
    } finally {
      provider.decide = (context) => ({ type: 'allow', ...(context.request.idSelect ? { identity: `${provider.base}/user/alice` } : {}) });
    }
  });
});
