/**
 * Provider Authentication Policy Extension 1.0: which authentication
 * policies the RP prefers, and which ones the OP applied, when, and at which
 * assurance level. Draft 2 (`nist_auth_level`) and the later drafts' typed
 * levels (`auth_level.ns.<alias>`, as python-openid sends them) are both read;
 * both are written for the NIST level.
 * @see openid-provider-authentication-policy-extension-1_0-02.txt §4, §5
 */
import { PAPE_1_0_NS } from '../constants.js';
import type { Message } from '../message.js';
import { addExtensionToMessage, ExtensionError, quote, signedArgsFrom, type Extension, type SignedSource } from './extension.js';
import { authLevelArgs, checkLevel, checkLevelType, checkPolicy, formatAuthTime, levelsOf, levelTypesOf, parseAuthTime, policiesOf, PAPE_LEVEL_NIST, PAPE_POLICY_NONE } from './pape-values.js';

export {
  PAPE_POLICY_PHISHING_RESISTANT,
  PAPE_POLICY_MULTI_FACTOR,
  PAPE_POLICY_MULTI_FACTOR_PHYSICAL,
  PAPE_POLICY_NONE,
  PAPE_LEVEL_NIST,
  PAPE_LEVEL_JISA,
  formatAuthTime,
  parseAuthTime,
} from './pape-values.js';

/** A PAPE request (§5.1). */
export class PapeRequest implements Extension {
  readonly namespace = PAPE_1_0_NS;
  readonly preferredAlias = 'pape';
  /** Policy URIs the OP should satisfy (§4). */
  readonly preferredPolicies: string[];
  /** Re-authenticate the user when the last authentication is older than this many seconds. */
  readonly maxAuthAge: number | undefined;
  /** Assurance level types the RP would like to hear about, e.g. {@link PAPE_LEVEL_NIST}. */
  readonly preferredLevelTypes: string[];

  /** @throws ExtensionError `invalid_policy`, `invalid_max_auth_age` */
  constructor(preferredPolicies: readonly string[] = [], maxAuthAge?: number, preferredLevelTypes: readonly string[] = []) {
    if (maxAuthAge !== undefined && !(Number.isSafeInteger(maxAuthAge) && maxAuthAge >= 0)) {
      throw new ExtensionError('pape', 'invalid_max_auth_age', 'max_auth_age must be a whole number of seconds, zero or more');
    }
    this.preferredPolicies = [...new Set(preferredPolicies.map(checkPolicy))];
    this.maxAuthAge = maxAuthAge;
    this.preferredLevelTypes = [...new Set(preferredLevelTypes.map(checkLevelType))];
  }

  /** The supported policies the RP prefers, in the order given. */
  preferredTypes(supported: readonly string[]): string[] {
    return supported.filter((policy) => this.preferredPolicies.includes(policy));
  }

  /** The arguments, without the `openid.<alias>.` prefix (the {@link Extension} shape); computed on each read. */
  get args(): Record<string, string> {
    const args: Record<string, string> = { preferred_auth_policies: this.preferredPolicies.join(' ') };
    if (this.maxAuthAge !== undefined) args.max_auth_age = String(this.maxAuthAge);
    if (this.preferredLevelTypes.length > 0) {
      const declared = authLevelArgs(this.preferredLevelTypes.map((type) => [type, undefined]));
      Object.assign(args, declared.args);
      args.preferred_auth_level_types = declared.aliases.join(' ');
    }
    return args;
  }

  /** Adds the arguments to a message, under this extension's namespace and preferred alias (OpenID 2.0 §12). */
  toMessage(message: Message): void {
    addExtensionToMessage(message, this.namespace, this.preferredAlias, this.args);
  }

  /**
   * Reads request arguments. Level type aliases must be declared
   * (`auth_level.ns.<alias>`), except `nist` and `jisa` in OpenID 1.x.
   * @throws ExtensionError
   */
  static fromArgs(args: Readonly<Record<string, string>>, options: { openid1?: boolean } = {}): PapeRequest {
    const age = args.max_auth_age;
    if (age !== undefined && !/^\d{1,10}$/.test(age)) throw new ExtensionError('pape', 'invalid_max_auth_age', `max_auth_age ${quote(age)} is not a whole number of seconds`);
    const policies = policiesOf(args.preferred_auth_policies ?? '');
    return new PapeRequest(policies, age === undefined ? undefined : Number(age), levelTypesOf(args, options.openid1 ?? false));
  }

  /** The PAPE request of a checkid message; undefined when it has none. */
  static fromMessage(message: Message): PapeRequest | undefined {
    const args = message.getArgs(PAPE_1_0_NS);
    if (Object.keys(args).length === 0) return undefined;
    return PapeRequest.fromArgs(args, { openid1: message.isOpenID1() });
  }
}

/** A PAPE response (§5.2). */
export class PapeResponse implements Extension {
  readonly namespace = PAPE_1_0_NS;
  readonly preferredAlias = 'pape';
  /** Policies the OP applied; empty means none (sent as the `none` policy URI). */
  readonly policies: string[];
  /** When the user last actively authenticated, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly authTime: string | undefined;
  /** Assurance levels by level type URI (the NIST level under {@link PAPE_LEVEL_NIST}). */
  readonly levels: Readonly<Record<string, string>>;

  /**
   * @param authTime a Date, or text in `YYYY-MM-DDTHH:MM:SSZ` form (§5.2)
   * @throws ExtensionError `invalid_policy`, `invalid_auth_time`, `invalid_auth_level`
   */
  constructor(policies: readonly string[] = [], authTime?: string | Date, levels: Readonly<Record<string, string | number>> = {}) {
    const applied = [...new Set(policies.map(checkPolicy))];
    if (applied.includes(PAPE_POLICY_NONE)) {
      if (applied.length > 1) throw new ExtensionError('pape', 'invalid_policy', 'The "none" policy cannot be sent with other policies');
      applied.length = 0;
    }
    this.policies = applied;
    if (authTime instanceof Date) this.authTime = formatAuthTime(authTime);
    else if (authTime !== undefined) this.authTime = formatAuthTime(parseAuthTime(authTime));
    this.levels = Object.freeze(Object.fromEntries(Object.entries(levels).map(([type, level]) => [checkLevelType(type), checkLevel(type, String(level))])));
  }

  /** The NIST assurance level (0 to 4), when sent. */
  get nistAuthLevel(): number | undefined {
    const level = this.levels[PAPE_LEVEL_NIST];
    return level === undefined ? undefined : Number(level);
  }

  /** `auth_time` as a Date: when the user last authenticated at the OP (PAPE §5.2), when sent. */
  get authTimeDate(): Date | undefined {
    return this.authTime === undefined ? undefined : parseAuthTime(this.authTime);
  }

  /** The arguments, without the `openid.<alias>.` prefix (the {@link Extension} shape); computed on each read. */
  get args(): Record<string, string> {
    const args: Record<string, string> = { auth_policies: this.policies.length === 0 ? PAPE_POLICY_NONE : this.policies.join(' ') };
    if (this.authTime !== undefined) args.auth_time = this.authTime;
    Object.assign(args, authLevelArgs(Object.entries(this.levels)).args);
    // Draft 2 RPs read the NIST level from nist_auth_level.
    if (this.levels[PAPE_LEVEL_NIST] !== undefined) args.nist_auth_level = this.levels[PAPE_LEVEL_NIST];
    return args;
  }

  /** Adds the arguments to a message, under this extension's namespace and preferred alias (OpenID 2.0 §12). */
  toMessage(message: Message): void {
    addExtensionToMessage(message, this.namespace, this.preferredAlias, this.args);
  }

  /**
   * Reads a response from the arguments a relying party verified as signed
   * (`result.getSignedArgs(PAPE_1_0_NS)`), never from the raw message.
   * @throws ExtensionError `missing_auth_policies`, `invalid_policy`, `invalid_auth_time`, `invalid_auth_level`, `undefined_level_alias`
   */
  static fromSignedArgs(args: Readonly<Record<string, string>>, options: { openid1?: boolean } = {}): PapeResponse {
    const text = args.auth_policies;
    if (text === undefined) throw new ExtensionError('pape', 'missing_auth_policies', 'openid.pape.auth_policies is missing (§5.2)');
    const policies = policiesOf(text);
    return new PapeResponse(policies, args.auth_time, levelsOf(args, options.openid1 ?? false));
  }

  /** The signed PAPE response of a success result; undefined when nothing of PAPE was signed. */
  static fromSuccess(result: SignedSource, options: { openid1?: boolean } = {}): PapeResponse | undefined {
    const args = signedArgsFrom(result, PAPE_1_0_NS);
    if (Object.keys(args).length === 0) return undefined;
    return PapeResponse.fromSignedArgs(args, options);
  }
}
