/**
 * Provider Authentication Policy Extension 1.0.
 * @see openid-provider-authentication-policy-extension-1_0-02.txt
 */
import { PAPE_1_0_NS } from '../constants.js';
import { MessageError } from '../errors.js';
import type { Message } from '../message.js';

export const PAPE_POLICY_PHISHING_RESISTANT = 'http://schemas.openid.net/pape/policies/2007/06/phishing-resistant';
export const PAPE_POLICY_MULTI_FACTOR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
export const PAPE_POLICY_MULTI_FACTOR_PHYSICAL = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical';
export const PAPE_POLICY_NONE = 'http://schemas.openid.net/pape/policies/2007/06/none';
export const PAPE_LEVEL_NIST = 'http://csrc.nist.gov/publications/nistpubs/800-63/SP800-63V1_0_2.pdf';

const uris = (text: string | undefined): string[] => (text ?? '').split(' ').filter((uri) => uri !== '');
const AUTH_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export class PapeRequest {
  constructor(
    readonly preferredPolicies: string[] = [],
    readonly maxAuthAge?: number,
    readonly preferredLevelTypes: string[] = [],
  ) {
    if (maxAuthAge !== undefined && (!Number.isSafeInteger(maxAuthAge) || maxAuthAge < 0)) throw new MessageError('max_auth_age must be a whole number of seconds');
  }

  toArgs(): Record<string, string> {
    const args: Record<string, string> = { preferred_auth_policies: this.preferredPolicies.join(' ') };
    if (this.maxAuthAge !== undefined) args.max_auth_age = String(this.maxAuthAge);
    if (this.preferredLevelTypes.length > 0) args.preferred_auth_level_types = this.preferredLevelTypes.join(' ');
    return args;
  }

  toMessage(message: Message): void {
    message.updateArgs(PAPE_1_0_NS, this.toArgs());
  }

  static fromMessage(message: Message): PapeRequest | undefined {
    const args = message.getArgs(PAPE_1_0_NS);
    if (args.preferred_auth_policies === undefined) return undefined;
    const age = args.max_auth_age;
    if (age !== undefined && !/^\d{1,10}$/.test(age)) throw new MessageError('max_auth_age must be a whole number of seconds');
    return new PapeRequest(uris(args.preferred_auth_policies), age === undefined ? undefined : Number(age), uris(args.preferred_auth_level_types));
  }
}

export class PapeResponse {
  constructor(
    readonly policies: string[] = [],
    /** When the user last authenticated, `YYYY-MM-DDTHH:MM:SSZ`. */
    readonly authTime?: string,
    /** Assurance levels by level type URI (NIST level: PAPE_LEVEL_NIST). */
    readonly levels: Readonly<Record<string, string>> = {},
  ) {
    if (authTime !== undefined && !AUTH_TIME.test(authTime)) throw new MessageError('auth_time must be YYYY-MM-DDTHH:MM:SSZ');
  }

  toArgs(): Record<string, string> {
    const args: Record<string, string> = { auth_policies: this.policies.length === 0 ? PAPE_POLICY_NONE : this.policies.join(' ') };
    if (this.authTime !== undefined) args.auth_time = this.authTime;
    let n = 0;
    for (const [type, level] of Object.entries(this.levels)) {
      n += 1;
      args[`auth_level.ns.l${n}`] = type;
      args[`auth_level.l${n}`] = level;
    }
    return args;
  }

  /** Reads a response from signed arguments only. */
  static fromSignedArgs(args: Readonly<Record<string, string>>): PapeResponse {
    if (args.auth_policies === undefined) throw new MessageError('openid.pape.auth_policies is missing');
    const policies = uris(args.auth_policies).filter((uri) => uri !== PAPE_POLICY_NONE);
    const levels: Record<string, string> = {};
    for (const [key, type] of Object.entries(args)) {
      if (!key.startsWith('auth_level.ns.')) continue;
      const level = args[`auth_level.${key.slice('auth_level.ns.'.length)}`];
      if (level !== undefined) levels[type] = level;
    }
    if (args.nist_auth_level !== undefined) levels[PAPE_LEVEL_NIST] = args.nist_auth_level;
    return new PapeResponse(policies, args.auth_time, levels);
  }
}
