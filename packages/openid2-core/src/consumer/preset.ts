/**
 * Provider presets ("Sign in through Steam" and the like) plug into the
 * consumer through this one interface: where to begin, the OP endpoint the
 * preset pins, a few consumer settings, a screening step on what an
 * assertion claims and extra fields for a verified success. A new preset is
 * a value of this type: it needs no change to the consumer or its result
 * types. A refusal comes back as the failure `preset_refused`, naming the
 * preset and the preset's own code.
 */
import { OpenIDConfigError } from '../errors.js';
import type { AssertionClaims, FailureResult, SuccessResult } from './result.js';

/** Why a preset refused an assertion: a snake_case code of the preset's own (`endpoint_mismatch`) and a sentence for logs. */
export interface PresetRefusal {
  code: string;
  message: string;
}

/**
 * The consumer settings a preset may set: those its OP needs to work at all,
 * the consumer options of the same names (checked as those are).
 */
export interface PresetConsumerSettings {
  /** Never associate (the consumer's `stateless`). @default the consumer's own */
  stateless?: boolean | undefined;
  /** Headers for check_authentication (the consumer's `checkAuthenticationHeaders`). @default none */
  checkAuthenticationHeaders?: Readonly<Record<string, string>> | undefined;
}

/**
 * A provider preset, given as the consumer's `preset` option. Checked once,
 * when the consumer is created.
 * @example new Consumer({ store, preset: steamPreset({ origin: 'https://rp.example' }) })
 */
export interface ConsumerPreset {
  /** A short lowercase name (`steam`): failures name it as `preset`. */
  readonly name: string;
  /** What to begin a login with (an OP identifier, for identifier select). */
  readonly opIdentifier: string;
  /** The OP endpoint the preset pins: the one its `screen` step accepts. */
  readonly opEndpoint: string;
  /**
   * Consumer settings the OP needs (Steam: `stateless`, and the headers it
   * wants on check_authentication). Options given to the consumer itself win;
   * headers are merged, the consumer's own winning by name.
   */
  readonly consumer?: PresetConsumerSettings | undefined;
  /**
   * Refuses an assertion on what it claims. Runs twice: after the field and
   * return_to checks and before any request (discovery, check_authentication)
   * is made for the assertion; and again on the verified values of a
   * success, before `extend`.
   */
  screen(claims: AssertionClaims): PresetRefusal | undefined;
  /**
   * Extra fields for a verified success, which appear frozen as
   * `result.presetData`; or a refusal. An answer with a string `code` and a
   * string `message` is a refusal (so data never uses both names).
   */
  extend?(result: SuccessResult): Readonly<Record<string, unknown>> | PresetRefusal;
}

/** A preset's name: lowercase letters, digits, `_` and `-`, starting with a letter. */
const PRESET_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const SETTINGS = new Set<string>(['stateless', 'checkAuthenticationHeaders']);

function mustBe(test: boolean, option: string, what: string): void {
  if (!test) throw new OpenIDConfigError(`must be ${what}`, option);
}

function isHttpUrl(value: unknown): boolean {
  return typeof value === 'string' && /^https?:\/\//i.test(value) && URL.canParse(value);
}

/**
 * Checks a preset's shape and keeps a frozen copy of it (its functions bound
 * to it), so a preset changed afterwards changes nothing; its `consumer`
 * settings are left to the consumer's own checks of those options.
 * @throws OpenIDConfigError naming `preset` or the part at fault (`preset.screen`)
 */
export function checkPreset(value: unknown, option: string): ConsumerPreset {
  mustBe(value !== null && typeof value === 'object' && !Array.isArray(value), option, 'a ConsumerPreset ({ name, opIdentifier, opEndpoint, screen, extend? }), such as steamPreset({ origin })');
  const preset = value as Record<string, unknown>;
  mustBe(typeof preset.name === 'string' && PRESET_NAME.test(preset.name), `${option}.name`, 'a short lowercase name (letters, digits, _ and -)');
  mustBe(isHttpUrl(preset.opIdentifier), `${option}.opIdentifier`, 'an absolute http(s) URL');
  mustBe(isHttpUrl(preset.opEndpoint), `${option}.opEndpoint`, 'an absolute http(s) URL');
  mustBe(typeof preset.screen === 'function', `${option}.screen`, 'a function (claims) => refusal | undefined');
  mustBe(preset.extend === undefined || typeof preset.extend === 'function', `${option}.extend`, 'a function (success) => data | refusal');
  const settings = preset.consumer;
  if (settings !== undefined) {
    mustBe(settings !== null && typeof settings === 'object' && !Array.isArray(settings), `${option}.consumer`, 'an object ({ stateless, checkAuthenticationHeaders })');
    for (const key of Object.keys(settings as object)) {
      if (!SETTINGS.has(key)) throw new OpenIDConfigError('is not a setting a preset may make (known: stateless, checkAuthenticationHeaders)', `${option}.consumer.${key}`);
    }
  }
  const given = value as ConsumerPreset;
  return Object.freeze({
    name: given.name,
    opIdentifier: given.opIdentifier,
    opEndpoint: given.opEndpoint,
    consumer: given.consumer === undefined ? undefined : Object.freeze({ ...given.consumer }),
    screen: given.screen.bind(given),
    ...(given.extend === undefined ? {} : { extend: given.extend.bind(given) }),
  });
}

/** Whether a preset's answer is a refusal: a string `code` and a string `message`. */
function isRefusal(value: unknown): value is PresetRefusal {
  if (value === null || typeof value !== 'object') return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}

/** The failure of a preset's refusal: one core reason, the preset and its code. */
function refused(preset: ConsumerPreset, refusal: PresetRefusal): FailureResult {
  return { status: 'failure', reason: 'preset_refused', message: refusal.message, preset: preset.name, presetCode: refusal.code };
}

/** The preset's screening of what an assertion claims, as a failure, if it refuses. */
export function screenClaims(preset: ConsumerPreset | undefined, claims: AssertionClaims): FailureResult | undefined {
  const refusal = preset?.screen(claims);
  if (refusal === undefined || preset === undefined) return undefined;
  return refused(preset, refusal);
}

/**
 * A verified success through the preset: screened again on the verified
 * values, then given the preset's data, or refused.
 */
export function extendSuccess(preset: ConsumerPreset | undefined, result: SuccessResult): SuccessResult | FailureResult {
  if (preset === undefined) return result;
  const verified: AssertionClaims = { version: result.endpoint.isOpenID2() ? '2.0' : '1.x', opEndpoint: result.endpoint.opEndpoint, claimedId: result.claimedId, identity: result.identity };
  const screened = screenClaims(preset, verified);
  if (screened !== undefined) return screened;
  const data = preset.extend?.(result);
  if (data === undefined) return result;
  if (isRefusal(data)) return refused(preset, data);
  if (data === null || typeof data !== 'object') return refused(preset, { code: 'invalid_data', message: `The preset's extend() gave ${data === null ? 'null' : typeof data}, not an object of fields` });
  return { ...result, presetData: Object.freeze({ ...data }) };
}
