/**
 * The attacks, one named behaviour each: what the hostile provider (or the
 * attacker's server beside it) sends, and what a safe relying party answers.
 * Forged "Sign in through Steam" logins in other libraries came from the
 * claimed-identifier classes below (another host, an appended query,
 * userinfo, http for https, trailing characters, NUL), an unpinned
 * op_endpoint and check_authentication sent to the attacker.
 */
import { randomBytes } from 'node:crypto';
import type { CheckIDRequest } from 'openid2-core';
import { setValue, type Delivery, type Pairs } from './assertion.js';

/** Which key signs a forged assertion. */
export type SignerKind = 'provider' | 'attacker' | 'impostor';

/** What an attack may ask the provider to assert before it tampers. */
export interface AssertOptions {
  /** The mock provider's user the assertion is for (its claimed identifier and profile). @default the user the login is for */
  user?: string;
  /** `openid.claimed_id` (and `openid.identity`) to assert, such as another user's or a host's the provider does not speak for. @default the user's claimed identifier */
  claimedId?: string;
  /** `openid.op_endpoint` to assert (OpenID 2.0 only), such as the attacker's endpoint. @default the provider's endpoint */
  opEndpoint?: string;
  /** `openid.return_to` to assert, such as another relying party's URL. @default the request's return_to */
  returnTo?: string;
  /** Milliseconds to add to now in `response_nonce`. @default 0 */
  nonceShiftMs?: number;
  /** Fields left out of `openid.signed`. @default none */
  unsigned?: readonly string[];
  /** Who signs: the provider's own association, the attacker's server, or an impostor (the provider's handle with another secret). @default 'provider' */
  signer?: SignerKind;
  /** Answer the profile extensions the request asked for. @default true */
  extensions?: boolean;
}

/** What the provider gives an attack to work with. */
export interface ForgeContext {
  request: CheckIDRequest;
  steam: boolean;
  /** The victim's claimed identifier at the honest provider. */
  victim: string;
  /** The attacker's server (`http://127.0.0.1:<port>`), its endpoint and its endpoint that calls every signature valid. */
  attacker: { base: string; endpoint: string; lenientEndpoint: string };
  /** A signed positive assertion, as honest as the options allow. */
  assert(options?: AssertOptions): Promise<Pairs>;
  /** The last honest assertion the provider issued to this return URL (its origin and path), if any. */
  previous: Delivery | undefined;
}

/** How the runner stages an attack. */
export type AttackKind = 'assertion' | 'unsolicited' | 'discovery';

/**
 * One attack of {@link ATTACKS}: how the runner stages it (`kind`), what it
 * sends (`title`), what a safe relying party answers, and, for assertion
 * attacks, how it forges the answer from what the provider gives it.
 */
export interface Attack {
  /** Stable name, used to pick attacks (`attacks` option, `--only`) and in reports. */
  name: string;
  /** One line: what is sent. */
  title: string;
  /** One line: what a safe relying party answers. */
  safeAnswer: string;
  /** How the runner stages it: a forged answer to a login, an assertion nobody asked for, or a hostile discovery document. */
  kind: AttackKind;
  /** Whose login the attacker starts (the result always aims at the victim). @default 'victim' */
  loginAs?: 'attacker' | 'victim';
  /** Whether it applies to a Steam relying party (identifier select, no user-typed identifier). */
  steam: boolean;
  /** An honest login must come first (a replay needs something to replay). */
  needsPrevious?: boolean;
  /** What shows the attack succeeded: the victim signed in (default), or the injected profile value shown. */
  succeedsWhen?: 'victim_signed_in' | 'injected_value_shown';
  /** Builds the answer sent to the relying party in place of the honest one (assertion attacks). */
  forge?: (context: ForgeContext) => Promise<Delivery>;
}

/** The profile value the unsigned-extension attack injects. */
export const INJECTED_VALUE = 'kit-injected';

const deliver = (context: ForgeContext, pairs: Pairs, method: 'GET' | 'POST' = 'GET'): Delivery => ({ method, target: context.request.returnTo, pairs });

function withIdentity(pairs: Pairs, id: string): Pairs {
  return setValue(setValue(pairs, 'openid.claimed_id', id), 'openid.identity', id);
}

/** A claimed identifier forged by the attacker's own provider, from the victim's identifier. */
function forgedIdentity(name: string, title: string, variant: (victim: URL, context: ForgeContext) => string): Attack {
  return {
    name,
    title,
    safeAnswer: 'refuse: the claimed identifier, discovered, does not name the asserting endpoint',
    kind: 'assertion',
    steam: true,
    async forge(context) {
      const forged = variant(new URL(context.victim), context);
      return deliver(context, await context.assert({ claimedId: forged, opEndpoint: context.attacker.endpoint, signer: 'attacker' }));
    },
  };
}

function otherReturnTo(method: 'GET' | 'POST'): Attack {
  return {
    name: `assertion_for_other_return_to_${method.toLowerCase()}`,
    title: `an assertion issued to another relying party's return_to, delivered here by ${method}`,
    safeAnswer: 'refuse: return_to does not match the URL the assertion arrived at (§11.1)',
    kind: 'assertion',
    steam: true,
    async forge(context) {
      const mine = new URL(context.request.returnTo);
      const elsewhere = `http://rp-elsewhere.invalid${mine.pathname}${mine.search}`;
      return deliver(context, await context.assert({ returnTo: elsewhere }), method);
    },
  };
}

/** Every attack, in the order the runner plays them. */
export const ATTACKS: readonly Attack[] = [
  {
    name: 'wrong_signature_key',
    title: 'the assertion signed with another key under the same association handle',
    safeAnswer: 'refuse: signature mismatch (local check, or is_valid:false from the OP)',
    kind: 'assertion',
    steam: true,
    forge: async (context) => deliver(context, await context.assert({ signer: 'impostor' })),
  },
  {
    name: 'identity_changed_after_signing',
    title: "the attacker's own assertion with claimed_id and identity changed to the victim's",
    safeAnswer: 'refuse: signature mismatch',
    kind: 'assertion',
    loginAs: 'attacker',
    steam: true,
    forge: async (context) => deliver(context, withIdentity(await context.assert({ user: 'attacker' }), context.victim)),
  },
  {
    name: 'identity_not_signed',
    title: "claimed_id and identity left out of openid.signed, then set to the victim's",
    safeAnswer: 'refuse: a field §10.1 requires is not signed',
    kind: 'assertion',
    loginAs: 'attacker',
    steam: true,
    forge: async (context) => deliver(context, withIdentity(await context.assert({ user: 'attacker', unsigned: ['claimed_id', 'identity'] }), context.victim)),
  },
  {
    name: 'foreign_op_endpoint',
    title: "the victim's identifier asserted by the attacker's own provider (op_endpoint on another server)",
    safeAnswer: "refuse: the identifier's discovered endpoint is not op_endpoint (§11.2)",
    kind: 'assertion',
    steam: true,
    forge: async (context) => deliver(context, await context.assert({ opEndpoint: context.attacker.endpoint, signer: 'attacker' })),
  },
  {
    name: 'check_authentication_always_valid',
    title: 'a garbage signature, op_endpoint at a server answering is_valid:true to any check_authentication',
    safeAnswer: 'refuse before asking: op_endpoint is not the discovered endpoint, so no check_authentication goes there',
    kind: 'assertion',
    steam: true,
    async forge(context) {
      const pairs = await context.assert({ opEndpoint: context.attacker.lenientEndpoint, signer: 'attacker' });
      return deliver(context, setValue(pairs, 'openid.sig', randomBytes(32).toString('base64')));
    },
  },
  forgedIdentity('claimed_id_other_host', "claimed_id on the attacker's host with the victim's path", (victim, context) => `${context.attacker.base}${victim.pathname}`),
  forgedIdentity('claimed_id_appended_query', "the victim's claimed_id with a query appended", (victim, context) => `${victim.href}?next=${encodeURIComponent(context.attacker.base)}`),
  forgedIdentity('claimed_id_userinfo', "claimed_id whose userinfo spells the victim's host, on the attacker's host", (victim, context) => {
    const attacker = new URL(context.attacker.base);
    return `${victim.protocol}//${victim.hostname}:${victim.port}@localhost:${attacker.port}${victim.pathname}`;
  }),
  forgedIdentity('claimed_id_scheme_changed', "the victim's claimed_id with http and https swapped", (victim) => {
    const swapped = new URL(victim.href);
    swapped.protocol = victim.protocol === 'https:' ? 'http:' : 'https:';
    return swapped.href;
  }),
  forgedIdentity('claimed_id_trailing_characters', "the victim's claimed_id with characters after it", (victim) => `${victim.href}/x`),
  forgedIdentity('claimed_id_nul', "the victim's claimed_id, a NUL byte, then the attacker's URL", (victim, context) => `${victim.href}\u0000${context.attacker.base}`),
  {
    name: 'unsigned_extension_value',
    title: 'SREG and AX values added outside openid.signed',
    safeAnswer: 'ignore the unsigned values (sign-in may succeed; the values must not be used)',
    kind: 'assertion',
    steam: false,
    succeedsWhen: 'injected_value_shown',
    async forge(context) {
      const pairs = await context.assert({ extensions: false });
      const injected: Pairs = [
        ['openid.ns.sreg', 'http://openid.net/extensions/sreg/1.1'],
        ['openid.sreg.nickname', INJECTED_VALUE],
        ['openid.sreg.email', `${INJECTED_VALUE}@attacker.example`],
        ['openid.ns.ax', 'http://openid.net/srv/ax/1.0'],
        ['openid.ax.mode', 'fetch_response'],
        ['openid.ax.type.nick', 'http://axschema.org/namePerson/friendly'],
        ['openid.ax.value.nick', INJECTED_VALUE],
        ['openid.ax.type.mail', 'http://axschema.org/contact/email'],
        ['openid.ax.value.mail', `${INJECTED_VALUE}@attacker.example`],
      ];
      return deliver(context, [...pairs, ...injected]);
    },
  },
  {
    name: 'replayed_assertion',
    title: 'an assertion that already signed someone in, delivered again in another browser',
    safeAnswer: 'refuse: the response nonce was used (or the transaction is not in this session)',
    kind: 'assertion',
    steam: true,
    needsPrevious: true,
    async forge(context) {
      if (context.previous === undefined) throw new Error('replayed_assertion: no assertion to replay yet (run an honest login first)');
      return context.previous;
    },
  },
  otherReturnTo('GET'),
  otherReturnTo('POST'),
  {
    name: 'duplicate_keys',
    title: "the attacker's assertion with a second claimed_id and identity (the victim's) appended",
    safeAnswer: 'refuse: a key appears twice',
    kind: 'assertion',
    loginAs: 'attacker',
    steam: true,
    async forge(context) {
      const pairs = await context.assert({ user: 'attacker' });
      return deliver(context, [...pairs, ['openid.claimed_id', context.victim], ['openid.identity', context.victim]]);
    },
  },
  {
    name: 'unsolicited_assertion',
    title: 'a valid assertion for the victim that no login in this browser asked for',
    safeAnswer: 'refuse: no login was started in this session (login CSRF)',
    kind: 'unsolicited',
    steam: true,
  },
  {
    name: 'expired_nonce',
    title: 'a correctly signed assertion whose response_nonce is a day old',
    safeAnswer: 'refuse: the nonce is outside the allowed clock skew',
    kind: 'assertion',
    steam: true,
    forge: async (context) => deliver(context, await context.assert({ nonceShiftMs: -24 * 3600_000 })),
  },
  {
    name: 'future_nonce',
    title: 'a correctly signed assertion whose response_nonce is a day ahead',
    safeAnswer: 'refuse: the nonce is outside the allowed clock skew',
    kind: 'assertion',
    steam: true,
    forge: async (context) => deliver(context, await context.assert({ nonceShiftMs: 24 * 3600_000 })),
  },
  {
    name: 'slow_discovery',
    title: 'an identity page that sends one byte every half second, forever',
    safeAnswer: 'give up within its total discovery timeout and answer (never hang)',
    kind: 'discovery',
    steam: false,
  },
  {
    name: 'huge_discovery',
    title: 'a 64 MiB identity page, sent as fast as it is read',
    safeAnswer: 'stop reading at its size limit and answer',
    kind: 'discovery',
    steam: false,
  },
  {
    name: 'redirect_loop_discovery',
    title: 'an identity page that redirects to itself forever',
    safeAnswer: 'stop at its redirect limit and answer',
    kind: 'discovery',
    steam: false,
  },
];

/** The names of every attack. */
export const ATTACK_NAMES: readonly string[] = ATTACKS.map((attack) => attack.name);

/** An attack by name, or undefined. */
export function attackNamed(name: string): Attack | undefined {
  return ATTACKS.find((attack) => attack.name === name);
}

const HOSTILE_PAGE: Readonly<Record<string, 'slow' | 'huge' | 'loop'>> = { slow_discovery: 'slow', huge_discovery: 'huge', redirect_loop_discovery: 'loop' };

/** The hostile discovery page a discovery attack uses (undefined for the others). */
export function discoveryKindOf(attack: Attack): 'slow' | 'huge' | 'loop' | undefined {
  return HOSTILE_PAGE[attack.name];
}
