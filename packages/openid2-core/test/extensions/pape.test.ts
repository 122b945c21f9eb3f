import { Message, OPENID_NS } from '../../src/message.js';
import { OPENID1_NS, OPENID2_NS, PAPE_1_0_NS } from '../../src/constants.js';
import { reason } from './reason.js';
import {
  PAPE_LEVEL_JISA,
  PAPE_LEVEL_NIST,
  PAPE_POLICY_MULTI_FACTOR,
  PAPE_POLICY_MULTI_FACTOR_PHYSICAL,
  PAPE_POLICY_NONE,
  PAPE_POLICY_PHISHING_RESISTANT,
  PapeRequest,
  PapeResponse,
  formatAuthTime,
  parseAuthTime,
} from '../../src/extensions/pape.js';

function pape(alias: string, args: Record<string, string>, ns = OPENID2_NS): Message {
  const post: Record<string, string> = { 'openid.mode': 'checkid_setup' };
  if (ns === OPENID2_NS) Object.assign(post, { 'openid.ns': OPENID2_NS, [`openid.ns.${alias}`]: PAPE_1_0_NS });
  else post[`openid.ns.${alias}`] = PAPE_1_0_NS;
  for (const [key, value] of Object.entries(args)) post[`openid.${alias}.${key}`] = value;
  return Message.fromPostArgs(post);
}

test('policy URIs of §4', () => {
  expect([PAPE_POLICY_PHISHING_RESISTANT, PAPE_POLICY_MULTI_FACTOR, PAPE_POLICY_MULTI_FACTOR_PHYSICAL]).toEqual([
    'http://schemas.openid.net/pape/policies/2007/06/phishing-resistant',
    'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
    'http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical',
  ]);
});

describe('PapeRequest (§5.1)', () => {
  test('encoding: space-separated policies, max_auth_age, level types by alias', () => {
    const message = new Message(OPENID2_NS);
    new PapeRequest([PAPE_POLICY_MULTI_FACTOR, PAPE_POLICY_PHISHING_RESISTANT], 3600, [PAPE_LEVEL_NIST, 'http://example.com/levels']).toMessage(message);
    expect(message.toPostArgs()).toEqual({
      'openid.ns': OPENID2_NS,
      'openid.ns.pape': PAPE_1_0_NS,
      'openid.pape.preferred_auth_policies': `${PAPE_POLICY_MULTI_FACTOR} ${PAPE_POLICY_PHISHING_RESISTANT}`,
      'openid.pape.max_auth_age': '3600',
      'openid.pape.auth_level.ns.nist': PAPE_LEVEL_NIST,
      'openid.pape.auth_level.ns.cust0': 'http://example.com/levels',
      'openid.pape.preferred_auth_level_types': 'nist cust0',
    });
  });

  test('no policies: preferred_auth_policies is still sent, empty', () => {
    expect(new PapeRequest([], 0).args).toEqual({ preferred_auth_policies: '', max_auth_age: '0' });
  });

  test('parsing with an alias chosen by the sender, duplicates collapsed', () => {
    const request = PapeRequest.fromMessage(pape('auth', {
      preferred_auth_policies: `${PAPE_POLICY_MULTI_FACTOR}  ${PAPE_POLICY_MULTI_FACTOR}`,
      max_auth_age: '60',
      preferred_auth_level_types: 'n2',
      'auth_level.ns.n2': PAPE_LEVEL_NIST,
    }));
    expect(request).toMatchObject({ preferredPolicies: [PAPE_POLICY_MULTI_FACTOR], maxAuthAge: 60, preferredLevelTypes: [PAPE_LEVEL_NIST] });
    expect(request?.preferredTypes([PAPE_POLICY_PHISHING_RESISTANT, PAPE_POLICY_MULTI_FACTOR])).toEqual([PAPE_POLICY_MULTI_FACTOR]);
  });

  test('undeclared nist/jisa level aliases are understood in OpenID 1.x only', () => {
    const args = { preferred_auth_policies: '', preferred_auth_level_types: 'nist jisa' };
    expect(PapeRequest.fromMessage(pape('pape', args, OPENID1_NS))?.preferredLevelTypes).toEqual([PAPE_LEVEL_NIST, PAPE_LEVEL_JISA]);
    expect(reason(() => PapeRequest.fromMessage(pape('pape', args)))).toBe('undefined_level_alias');
  });

  test('a message without PAPE: undefined; PAPE without policies: an empty list', () => {
    expect(PapeRequest.fromMessage(Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.mode': 'checkid_setup' }))).toBeUndefined();
    expect(PapeRequest.fromMessage(pape('pape', { max_auth_age: '5' }))).toMatchObject({ preferredPolicies: [], maxAuthAge: 5 });
  });

  test.each([
    ['a max_auth_age that is no number', { preferred_auth_policies: '', max_auth_age: 'soon' }, 'invalid_max_auth_age'],
    ['a negative max_auth_age', { preferred_auth_policies: '', max_auth_age: '-1' }, 'invalid_max_auth_age'],
    ['a fractional max_auth_age', { preferred_auth_policies: '', max_auth_age: '1.5' }, 'invalid_max_auth_age'],
    ['a policy that is no URI', { preferred_auth_policies: 'multi-factor' }, 'invalid_policy'],
    ['a level type that is no URI', { preferred_auth_policies: '', preferred_auth_level_types: 'x', 'auth_level.ns.x': 'nist' }, 'invalid_auth_level'],
  ])('refuses %s', (_name, args, expected) => {
    expect(reason(() => PapeRequest.fromArgs(args))).toBe(expected);
  });

  test('the constructor refuses bad values', () => {
    expect(reason(() => new PapeRequest([], -1))).toBe('invalid_max_auth_age');
    expect(reason(() => new PapeRequest([], 1.5))).toBe('invalid_max_auth_age');
    expect(reason(() => new PapeRequest(['not a uri']))).toBe('invalid_policy');
  });
});

describe('PapeResponse (§5.2)', () => {
  test('encoding: policies, auth_time from a Date, NIST level in draft 2 and typed forms', () => {
    const response = new PapeResponse([PAPE_POLICY_MULTI_FACTOR], new Date(Date.UTC(2026, 10, 25, 4, 5, 6, 789)), { [PAPE_LEVEL_NIST]: 2, 'http://example.com/levels': 'gold' });
    expect(response.args).toEqual({
      auth_policies: PAPE_POLICY_MULTI_FACTOR,
      auth_time: '2026-11-25T04:05:06Z',
      'auth_level.ns.nist': PAPE_LEVEL_NIST,
      'auth_level.nist': '2',
      'auth_level.ns.cust0': 'http://example.com/levels',
      'auth_level.cust0': 'gold',
      nist_auth_level: '2',
    });
    expect(response.nistAuthLevel).toBe(2);
    expect(response.authTimeDate?.toISOString()).toBe('2026-11-25T04:05:06.000Z');
  });

  test('no policy met: the none policy URI is sent, and read back as an empty list', () => {
    expect(new PapeResponse().args).toEqual({ auth_policies: PAPE_POLICY_NONE });
    expect(new PapeResponse([PAPE_POLICY_NONE]).policies).toEqual([]);
    expect(PapeResponse.fromSignedArgs({ auth_policies: PAPE_POLICY_NONE }).policies).toEqual([]);
    expect(PapeResponse.fromSignedArgs({ auth_policies: 'none' }).policies).toEqual([]);
  });

  test('parsing draft 2 (nist_auth_level) and later drafts (typed levels)', () => {
    expect(PapeResponse.fromSignedArgs({ auth_policies: PAPE_POLICY_MULTI_FACTOR, nist_auth_level: '3' }).levels).toEqual({ [PAPE_LEVEL_NIST]: '3' });
    const typed = PapeResponse.fromSignedArgs({ auth_policies: PAPE_POLICY_NONE, 'auth_level.ns.x': PAPE_LEVEL_JISA, 'auth_level.x': '1', auth_time: '2005-05-15T17:11:51Z' });
    expect(typed).toMatchObject({ policies: [], levels: { [PAPE_LEVEL_JISA]: '1' }, authTime: '2005-05-15T17:11:51Z' });
    expect(PapeResponse.fromSignedArgs({ auth_policies: PAPE_POLICY_NONE, 'auth_level.nist': '1' }, { openid1: true }).nistAuthLevel).toBe(1);
  });

  test.each([
    ['no auth_policies', { nist_auth_level: '1' }, 'missing_auth_policies'],
    ['none with another policy', { auth_policies: `${PAPE_POLICY_NONE} ${PAPE_POLICY_MULTI_FACTOR}` }, 'invalid_policy'],
    ['a policy that is no URI', { auth_policies: 'multi-factor' }, 'invalid_policy'],
    ['a NIST level above 4', { auth_policies: 'none', nist_auth_level: '5' }, 'invalid_auth_level'],
    ['a NIST level that is no number', { auth_policies: 'none', nist_auth_level: 'high' }, 'invalid_auth_level'],
    ['disagreeing NIST levels', { auth_policies: 'none', nist_auth_level: '1', 'auth_level.ns.nist': PAPE_LEVEL_NIST, 'auth_level.nist': '2' }, 'invalid_auth_level'],
    ['an undeclared level alias in 2.0', { auth_policies: 'none', 'auth_level.nist': '2' }, 'undefined_level_alias'],
    ['a level with a newline', { auth_policies: 'none', 'auth_level.ns.x': 'http://example.com/l', 'auth_level.x': 'a\nb' }, 'invalid_auth_level'],
    ['fractional seconds', { auth_policies: 'none', auth_time: '2026-11-25T04:00:00.123Z' }, 'invalid_auth_time'],
    ['a time zone offset', { auth_policies: 'none', auth_time: '2026-11-25T05:00:00+01:00' }, 'invalid_auth_time'],
    ['a space for the T', { auth_policies: 'none', auth_time: '2026-11-25 04:00:00Z' }, 'invalid_auth_time'],
    ['no Z', { auth_policies: 'none', auth_time: '2026-11-25T04:00:00' }, 'invalid_auth_time'],
    ['February 30', { auth_policies: 'none', auth_time: '2026-02-30T00:00:00Z' }, 'invalid_auth_time'],
    ['hour 24', { auth_policies: 'none', auth_time: '2026-11-25T24:00:00Z' }, 'invalid_auth_time'],
  ])('refuses %s', (_name, args, expected) => {
    expect(reason(() => PapeResponse.fromSignedArgs(args))).toBe(expected);
  });

  test('the constructor refuses a bad auth_time, level or Date', () => {
    expect(reason(() => new PapeResponse([], '2026-11-25 04:00'))).toBe('invalid_auth_time');
    expect(reason(() => new PapeResponse([], new Date(Number.NaN)))).toBe('invalid_auth_time');
    expect(reason(() => new PapeResponse([], undefined, { [PAPE_LEVEL_NIST]: 7 }))).toBe('invalid_auth_level');
  });

  test('round trip through a 2.0 message with another alias, and through key-value form', () => {
    const response = new PapeResponse([PAPE_POLICY_PHISHING_RESISTANT, PAPE_POLICY_MULTI_FACTOR], '2026-01-02T03:04:05Z', { [PAPE_LEVEL_NIST]: '1' });
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.pape': 'http://example.com/not-pape', 'openid.pape.x': '1', 'openid.mode': 'id_res' });
    response.toMessage(message);
    expect(message.aliases.aliasOf(PAPE_1_0_NS)).not.toBe('pape');
    const parsed = PapeResponse.fromSignedArgs(Message.fromKVForm(message.toKVForm()).getArgs(PAPE_1_0_NS));
    expect(parsed).toMatchObject({ policies: response.policies, authTime: response.authTime, levels: response.levels });
  });

  test('fromSuccess: undefined when no PAPE argument was signed', () => {
    expect(PapeResponse.fromSuccess({ getSignedArgs: () => ({}) })).toBeUndefined();
    const result = { getSignedArgs: (ns: string): Record<string, string> => (ns === PAPE_1_0_NS ? { auth_policies: PAPE_POLICY_MULTI_FACTOR } : {}) };
    expect(PapeResponse.fromSuccess(result)?.policies).toEqual([PAPE_POLICY_MULTI_FACTOR]);
  });
});

describe('auth_time', () => {
  test('formatAuthTime drops milliseconds; parseAuthTime round trips', () => {
    expect(formatAuthTime(new Date('2026-11-25T04:05:06.999Z'))).toBe('2026-11-25T04:05:06Z');
    expect(parseAuthTime('2005-05-15T17:11:51Z').getTime()).toBe(Date.UTC(2005, 4, 15, 17, 11, 51));
  });

  test('OPENID_NS arguments do not leak into PAPE', () => {
    const message = pape('pape', { preferred_auth_policies: PAPE_POLICY_MULTI_FACTOR });
    expect(message.getArg(OPENID_NS, 'mode')).toBe('checkid_setup');
    expect(Object.keys(message.getArgs(PAPE_1_0_NS))).toEqual(['preferred_auth_policies']);
  });
});
