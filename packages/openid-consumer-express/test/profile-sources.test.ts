/**
 * 20.3: req.session.openid keeps the merged profile and, per field, which
 * extension said it (`profileSources`), for apps that trust only one.
 */
import { AX_1_0_NS, SREG_1_1_NS } from 'openid2-core';
import type { Decision } from 'openid-provider-express';
import { signIn, startOP, startRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
let rp: Running;

beforeAll(async () => {
  // SREG says email and nickname; AX says another email and a first name.
  op = await startOP({
    decision: (_idSelect, base): Decision => ({
      type: 'allow',
      identity: `${base}/user/alice`,
      extensions: [
        { namespace: SREG_1_1_NS, args: { email: 'sreg@example.com', nickname: 'zoe' } as Record<string, string> },
        {
          namespace: AX_1_0_NS,
          args: { mode: 'fetch_response', 'type.email': 'http://axschema.org/contact/email', 'value.email': 'ax@example.com', 'type.first': 'http://axschema.org/namePerson/first', 'value.first': 'Zoë' },
        },
      ],
    }),
  });
  rp = await startRP({ profile: { required: ['email'], optional: ['nickname', 'firstName'] } });
});
afterAll(async () => {
  await rp.close();
  await op.close();
});

test('20.3: the merged profile (AX wins) with the source of each field', async () => {
  const { me } = await signIn(rp, `${op.base}/user/alice`);
  expect(me).toMatchObject({
    profile: { email: 'ax@example.com', nickname: 'zoe', firstName: 'Zoë' },
    profileSources: { email: 'ax', nickname: 'sreg', firstName: 'ax' },
  });
});

test('20.3: no profile answer, no sources', async () => {
  const plain = await startOP();
  try {
    const { me } = await signIn(rp, `${plain.base}/user/alice`);
    expect(me).toMatchObject({ profile: {}, profileSources: {} });
  } finally {
    await plain.close();
  }
});
