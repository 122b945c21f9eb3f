/**
 * The middleware against Debian's python3-openid as the OP (the fixture of
 * openid2-core's consumer tests): smart and stateless, OpenID 2.0 and 1.1,
 * delegation, identifier select, cancel, and the profile through SREG/AX.
 */
import { fileURLToPath } from 'node:url';
import { CookieClient, deliverIndirect, describeWith, pythonOpenIDAvailability, startPythonOP, type PythonOP } from 'openid-test-helpers';
import { MemoryStore } from 'openid2-core';
import { postLogin, startRP, type Running } from './apps.js';

const SCRIPT = fileURLToPath(new URL('../../openid2-core/test/fixtures/python_server.py', import.meta.url));

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  let python: PythonOP;
  let smart: Running;
  let stateless: Running;
  beforeAll(async () => {
    python = await startPythonOP(SCRIPT);
    smart = await startRP({ store: new MemoryStore(), profile: { required: ['email'], optional: ['nickname', 'firstName'] } });
    stateless = await startRP();
  });
  afterAll(async () => {
    await smart.close();
    await stateless.close();
    await python.close();
  });

  async function signIn(rp: Running, identifier: string): Promise<{ location: string | undefined; me: Record<string, unknown> | null }> {
    const client = new CookieClient();
    const start = await postLogin(rp, client, identifier);
    expect(start.status).toBe(303);
    const { response } = await deliverIndirect(client, await client.get(start.location as string, true), start.location as string);
    const me = JSON.parse((await client.get(`${rp.base}/me`)).body || 'null') as Record<string, unknown> | null;
    return { location: response.location, me };
  }

  test.each([
    ['2.0, smart', 'smart', '/user/alice', '/user/alice', '2.0'],
    ['2.0, stateless', 'stateless', '/user/alice', '/user/alice', '2.0'],
    ['1.1, smart', 'smart', '/v1/bob', '/v1/bob', '1.1'],
    ['1.1, stateless', 'stateless', '/v1/bob', '/v1/bob', '1.1'],
    ['delegation', 'smart', '/delegated/carol', '/delegated/carol', '2.0'],
    ['identifier select', 'stateless', '/idp', '/user/alice', '2.0'],
  ])('%s', async (_name, which, path, claimed, version) => {
    await python.policy('allow');
    const { location, me } = await signIn(which === 'smart' ? smart : stateless, `${python.base}${path}`);
    expect(location?.endsWith('/me')).toBe(true);
    expect(me).toMatchObject({ claimedId: `${python.base}${claimed}`, opEndpoint: `${python.base}/openid`, version });
  });

  test('the profile from its SREG and AX answers, UTF-8 intact', async () => {
    await python.policy('allow');
    const { me } = await signIn(smart, `${python.base}/user/alice`);
    expect(me?.profile).toEqual({ email: 'zoë@example.com', nickname: 'zoë', firstName: 'Zoë' });
  });

  test('cancel', async () => {
    await python.policy('cancel');
    const { location, me } = await signIn(smart, `${python.base}/user/alice`);
    expect(location).toBe(`${smart.base}/failed?openid_error=cancel`);
    expect(me).toBeNull();
    await python.policy('allow');
  });
});
