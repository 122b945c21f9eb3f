/**
 * SREG, AX and PAPE against Debian's python3-openid: its requests parse with
 * ours to the same content, ours parse with its fromOpenIDRequest entry
 * points, its answers parse with our signed-argument readers, and ours parse
 * with its fromSuccessResponse entry points. UTF-8 values included.
 */
import { fileURLToPath } from 'node:url';
import { describeWith, pythonOpenIDAvailability, run, SYSTEM_PYTHON } from 'openid-test-helpers';
import { Message, OPENID_NS } from '../../src/message.js';
import { AX_1_0_NS, OPENID1_NS, OPENID2_NS, PAPE_1_0_NS, SREG_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';
import { signedExtensionArgs } from '../../src/extensions/extension.js';
import { SRegRequest, SRegResponse } from '../../src/extensions/sreg.js';
import { AXFetchRequest, AXFetchResponse } from '../../src/extensions/ax.js';
import { PapeRequest, PapeResponse, PAPE_LEVEL_NIST, PAPE_POLICY_MULTI_FACTOR, PAPE_POLICY_PHISHING_RESISTANT } from '../../src/extensions/pape.js';
import { addProfileRequest, answerProfile, profileFromSuccess } from '../../src/extensions/profile.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/python_extensions.py', import.meta.url));

function python<T>(command: Record<string, unknown>): Promise<T> {
  return run(SYSTEM_PYTHON, [SCRIPT], { input: JSON.stringify(command) }).then((out) => JSON.parse(out) as T);
}

interface PythonRequest {
  sreg: { ns: string; required: string[]; optional: string[]; policy_url: string | null };
  ax?: { update_url: string | null; attributes: Array<{ type: string; alias: string | null; count: number | string; required: boolean }> };
  pape?: { policies: string[]; max_auth_age: number | null; level_types: string[] };
}

interface PythonResponse {
  sreg: { ns: string; data: Record<string, string> } | null;
  ax: { update_url: string | null; data: Record<string, string[]> } | null;
  pape?: { policies: string[]; auth_time: string | null; levels: Record<string, string> };
}

const ALIASES = { [SREG_1_1_NS]: 'profile', [AX_1_0_NS]: 'attr', [PAPE_1_0_NS]: 'policy' };

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  describe('its requests, our parsers', () => {
    test.each([
      ['preferred aliases', {}],
      ['aliases chosen by the sender', ALIASES],
    ])('OpenID 2.0, %s: SREG, AX and PAPE read the same', async (_name, aliases) => {
      const message = Message.fromPostArgs(await python<Record<string, string>>({ kind: 'encode_request', version: '2.0', aliases }));
      expect(SRegRequest.fromMessage(message)).toMatchObject({ namespace: SREG_1_1_NS, required: ['email'], optional: ['nickname', 'fullname', 'dob'], policyUrl: 'http://rp.example/policy' });
      const ax = AXFetchRequest.fromMessage(message);
      // python-openid's FetchRequest.getExtensionArgs leaves update_url out.
      expect(ax?.updateUrl).toBeUndefined();
      expect(ax?.attributes.map((a) => [a.typeUri, a.alias, a.count, a.required])).toEqual([
        ['http://axschema.org/contact/email', 'email', 1, true],
        ['http://axschema.org/namePerson/first', 'first', 1, false],
        ['http://schema.openid.net/namePerson/last', 'ext0', 1, false],
        ['http://example.com/schema/favourite_movie', 'fav_movie', 3, false],
        ['http://example.com/schema/tags', 'tags', 'unlimited', false],
      ]);
      expect(PapeRequest.fromMessage(message)).toMatchObject({
        preferredPolicies: [PAPE_POLICY_MULTI_FACTOR, PAPE_POLICY_PHISHING_RESISTANT],
        maxAuthAge: 3600,
        preferredLevelTypes: [PAPE_LEVEL_NIST],
      });
    });

    test('OpenID 1.1: SREG with the implicit alias', async () => {
      const message = Message.fromPostArgs(await python<Record<string, string>>({ kind: 'encode_request', version: '1.1' }));
      expect(message.isOpenID1()).toBe(true);
      expect(SRegRequest.fromMessage(message)).toMatchObject({ namespace: SREG_1_0_NS, required: ['email'], optional: ['nickname', 'fullname', 'dob'] });
    });
  });

  describe('our requests, its parsers', () => {
    function ourRequest(ns: string): Message {
      const message = new Message(ns);
      message.setArg(OPENID_NS, 'mode', 'checkid_setup');
      message.setArg(OPENID_NS, 'return_to', 'http://rp.example/return');
      message.setArg(OPENID_NS, ns === OPENID2_NS ? 'realm' : 'trust_root', 'http://rp.example/');
      return message;
    }

    test('OpenID 2.0: profile request, an unlimited AX count and PAPE with the NIST level', async () => {
      const message = ourRequest(OPENID2_NS);
      addProfileRequest(message, { required: ['email'], optional: ['nickname', 'firstName'] }, { policyUrl: 'http://rp.example/policy' });
      message.updateArgs(AX_1_0_NS, { 'type.tags': 'http://example.com/tags', 'count.tags': 'unlimited', if_available: 'nickname,firstName,tags', update_url: 'http://rp.example/update' });
      new PapeRequest([PAPE_POLICY_PHISHING_RESISTANT], 300, [PAPE_LEVEL_NIST]).toMessage(message);
      const theirs = await python<PythonRequest>({ kind: 'parse_request', args: message.toPostArgs() });
      expect(theirs.sreg).toEqual({ ns: SREG_1_1_NS, required: ['email'], optional: ['nickname'], policy_url: 'http://rp.example/policy' });
      expect(theirs.ax).toEqual({
        update_url: 'http://rp.example/update',
        attributes: [
          { type: 'http://axschema.org/contact/email', alias: 'email', count: 1, required: true },
          { type: 'http://axschema.org/namePerson/friendly', alias: 'nickname', count: 1, required: false },
          { type: 'http://axschema.org/namePerson/first', alias: 'firstName', count: 1, required: false },
          { type: 'http://example.com/tags', alias: 'tags', count: 'unlimited', required: false },
        ],
      });
      expect(theirs.pape).toEqual({ policies: [PAPE_POLICY_PHISHING_RESISTANT], max_auth_age: 300, level_types: [PAPE_LEVEL_NIST] });
    });

    test('OpenID 1.1: SREG with the implicit alias', async () => {
      const message = ourRequest(OPENID1_NS);
      addProfileRequest(message, { required: ['email'], optional: ['dob'] });
      const theirs = await python<PythonRequest>({ kind: 'parse_request', args: message.toPostArgs() });
      expect(theirs.sreg).toMatchObject({ required: ['email'], optional: ['dob'] });
      expect(theirs.ax).toBeUndefined();
    });
  });

  describe('its answers, our signed-argument readers', () => {
    test.each([
      ['preferred aliases', {}],
      ['aliases chosen by the sender', ALIASES],
    ])('OpenID 2.0, %s', async (_name, aliases) => {
      const message = Message.fromPostArgs(await python<Record<string, string>>({ kind: 'encode_response', version: '2.0', aliases }));
      const signed = message.openIDKeys();
      const result = { getSignedArgs: (ns: string) => signedExtensionArgs(message, signed, ns) };
      expect(SRegResponse.fromSuccess(result)?.data).toEqual({ email: 'zoë@example.com', fullname: 'Zoë 東京', gender: 'F' });
      const ax = AXFetchResponse.fromSuccess(result);
      expect(Object.fromEntries(ax?.values ?? [])).toEqual({
        'http://axschema.org/contact/email': ['zoë@example.com'],
        'http://axschema.org/namePerson/first': ['Zoë'],
        'http://example.com/schema/favourite_movie': ['Movie1', 'Ünïcode 映画'],
        'http://example.com/schema/none': [],
      });
      expect(ax?.updateUrl).toBe('http://rp.example/update?t=1');
      expect(PapeResponse.fromSuccess(result)).toMatchObject({ policies: [PAPE_POLICY_MULTI_FACTOR], authTime: '2026-11-25T04:00:00Z', nistAuthLevel: 2 });
      expect(profileFromSuccess(result)).toEqual({ email: 'zoë@example.com', fullname: 'Zoë 東京', gender: 'F', firstName: 'Zoë' });
    });

    test('OpenID 1.1: SREG with the implicit alias', async () => {
      const message = Message.fromPostArgs(await python<Record<string, string>>({ kind: 'encode_response', version: '1.1' }));
      const result = { getSignedArgs: (ns: string) => signedExtensionArgs(message, message.openIDKeys(), ns) };
      expect(SRegResponse.fromSuccess(result)).toMatchObject({ namespace: SREG_1_0_NS, data: { email: 'zoë@example.com', fullname: 'Zoë 東京', gender: 'F' } });
    });
  });

  describe('our answers, its fromSuccessResponse', () => {
    test('OpenID 2.0: the profile answer (SREG and AX with count 0) and PAPE, UTF-8 intact', async () => {
      const request = Message.fromPostArgs(await python<Record<string, string>>({ kind: 'encode_request', version: '2.0', aliases: ALIASES }));
      const response = new Message(OPENID2_NS);
      response.setArg(OPENID_NS, 'mode', 'id_res');
      for (const { namespace, args } of answerProfile(request, { email: 'zoë@example.com', fullname: 'Zoë 東京 😀', firstName: 'Zoë' })) response.updateArgs(namespace, args);
      new PapeResponse([PAPE_POLICY_MULTI_FACTOR], '2026-11-25T04:00:00Z', { [PAPE_LEVEL_NIST]: 1 }).toMessage(response);
      const theirs = await python<PythonResponse>({ kind: 'parse_response', args: response.toPostArgs(), signed: response.openIDKeys() });
      expect(theirs.sreg).toEqual({ ns: SREG_1_1_NS, data: { email: 'zoë@example.com', fullname: 'Zoë 東京 😀' } });
      expect(theirs.ax?.data).toEqual({
        'http://axschema.org/contact/email': ['zoë@example.com'],
        'http://axschema.org/namePerson/first': ['Zoë'],
        'http://schema.openid.net/namePerson/last': [],
        'http://example.com/schema/favourite_movie': [],
        'http://example.com/schema/tags': [],
      });
      expect(theirs.pape).toEqual({ policies: [PAPE_POLICY_MULTI_FACTOR], auth_time: '2026-11-25T04:00:00Z', levels: { [PAPE_LEVEL_NIST]: '1' } });
    });

    test('a fetch response with numbered values and counts', async () => {
      const theirRequest = await python<Record<string, string>>({ kind: 'encode_request', version: '2.0' });
      const request = AXFetchRequest.fromMessage(Message.fromPostArgs({ ...theirRequest, 'openid.ax.update_url': 'http://rp.example/update?t=1' })) as AXFetchRequest;
      const response = new Message(OPENID2_NS);
      response.setArg(OPENID_NS, 'mode', 'id_res');
      AXFetchResponse.fromRequest(request, {
        'http://axschema.org/contact/email': 'zoë@example.com',
        'http://example.com/schema/favourite_movie': ['Movie1', 'Ünïcode 映画', 'Movie3', 'cut: only 3 requested'],
        'http://example.com/schema/tags': ['a', 'b'],
      }).toMessage(response);
      const theirs = await python<PythonResponse>({ kind: 'parse_response', args: response.toPostArgs(), signed: response.openIDKeys() });
      expect(theirs.ax).toEqual({
        update_url: 'http://rp.example/update?t=1',
        data: {
          'http://axschema.org/contact/email': ['zoë@example.com'],
          'http://axschema.org/namePerson/first': [],
          'http://schema.openid.net/namePerson/last': [],
          'http://example.com/schema/favourite_movie': ['Movie1', 'Ünïcode 映画', 'Movie3'],
          'http://example.com/schema/tags': ['a', 'b'],
        },
      });
    });

    test('unsigned extension arguments are dropped by both sides', async () => {
      const response = new Message(OPENID2_NS);
      response.setArg(OPENID_NS, 'mode', 'id_res');
      new SRegResponse({ email: 'zoë@example.com' }).toMessage(response);
      const signed = response.openIDKeys();
      response.setArg(SREG_1_1_NS, 'nickname', 'injected');
      const theirs = await python<PythonResponse>({ kind: 'parse_response', args: response.toPostArgs(), signed });
      expect(theirs.sreg).toBeNull();
      expect(SRegResponse.fromSuccess({ getSignedArgs: (ns) => signedExtensionArgs(response, signed, ns) })?.data).toEqual({ email: 'zoë@example.com' });
    });

    test('OpenID 1.1: SREG with the implicit alias', async () => {
      const request = Message.fromPostArgs(await python<Record<string, string>>({ kind: 'encode_request', version: '1.1' }));
      const response = new Message(OPENID1_NS);
      response.setArg(OPENID_NS, 'mode', 'id_res');
      for (const { namespace, args } of answerProfile(request, { email: 'zoë@example.com', dob: '1980-00-00', fullname: 'Zoë' })) response.updateArgs(namespace, args);
      expect(Object.keys(response.toPostArgs()).some((key) => key.startsWith('openid.ns'))).toBe(false);
      const theirs = await python<PythonResponse>({ kind: 'parse_response', args: response.toPostArgs(), signed: response.openIDKeys() });
      expect(theirs.sreg?.data).toEqual({ email: 'zoë@example.com', dob: '1980-00-00', fullname: 'Zoë' });
    });
  });
});
