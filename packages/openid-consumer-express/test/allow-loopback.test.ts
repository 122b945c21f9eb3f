/**
 * 20.5: local development that works or says why. The private-address guard
 * stays on by default; `allowLoopback: true` lets the router's default
 * fetcher reach an OP on 127.0.0.1 (only loopback, never under
 * NODE_ENV=production), and a loopback refusal names the switch.
 */
import { jest } from '@jest/globals';
import { CookieClient } from 'openid-test-helpers';
import { createFetcher, OpenIDConfigError, type OpenIDEvent } from 'openid2-core';
import { openidConsumer, type ConsumerFailure } from '../src/index.js';
import { postLogin, signIn, startOP, startRP, withRP, type Running } from './apps.js';

let op: Running & { endpoint: string };

beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

describe('20.5: allowLoopback', () => {
  test('20.5: with allowLoopback (and no fetcher), a login against an OP on 127.0.0.1 succeeds', async () => {
    await withRP({ fetcher: undefined, allowLoopback: true }, async (rp) => {
      expect((await signIn(rp, `${op.base}/user/alice`)).me).toMatchObject({ claimedId: `${op.base}/user/alice` });
    });
  });

  test('20.5: without it, the refusal is private_address and its message and event name the switch', async () => {
    const failures: ConsumerFailure[] = [];
    const events: OpenIDEvent[] = [];
    const rp = await startRP({
      fetcher: undefined,
      onEvent: (event) => events.push(event),
      onFailure: (_req, res, result) => {
        failures.push(result);
        res.redirect(303, '/failed');
      },
    });
    try {
      await postLogin(rp, new CookieClient(), `${op.base}/user/alice`);
      expect(failures).toEqual([expect.objectContaining({ reason: 'private_address' })]);
      expect((failures[0] as { message: string }).message).toContain('allowLoopback: true');
      const failed = events.find((event) => event.event === 'login_failed');
      expect(failed).toMatchObject({ reason: 'private_address' });
      expect(failed?.message).toContain('allowLoopback');
    } finally {
      await rp.close();
    }
  });

  test('20.5: without onEvent, a loopback refusal is reported as a process warning naming the switch', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const rp = await startRP({ fetcher: undefined });
    try {
      const response = await postLogin(rp, new CookieClient(), `${op.base}/user/alice`);
      expect(response.location).toBe(`${rp.base}/failed?openid_error=private_address`);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('allowLoopback'), expect.objectContaining({ code: 'OPENID_LOOPBACK_REFUSED' }));
    } finally {
      warn.mockRestore();
      await rp.close();
    }
  });

  test('20.5: a private address other than loopback stays refused with allowLoopback', async () => {
    const failures: ConsumerFailure[] = [];
    const rp = await startRP({
      fetcher: undefined,
      allowLoopback: true,
      onFailure: (_req, res, result) => {
        failures.push(result);
        res.redirect(303, '/failed');
      },
    });
    try {
      await postLogin(rp, new CookieClient(), 'http://10.0.0.1/user');
      expect(failures).toEqual([expect.objectContaining({ reason: 'private_address' })]);
      expect((failures[0] as { message: string }).message).not.toContain('allowLoopback');
    } finally {
      await rp.close();
    }
  });

  test('20.5: refused under NODE_ENV=production, naming the option', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => openidConsumer({ allowLoopback: true })).toThrow(OpenIDConfigError);
      expect(() => openidConsumer({ allowLoopback: true })).toThrow(/allowLoopback/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  test('20.5: refused together with a fetcher of your own, and when not a boolean', () => {
    expect(() => openidConsumer({ allowLoopback: true, fetcher: createFetcher() })).toThrow(/allowLoopback: applies to the default fetcher only/);
    expect(() => openidConsumer({ allowLoopback: 'yes' as unknown as boolean })).toThrow(/allowLoopback: must be true or false/);
  });
});
