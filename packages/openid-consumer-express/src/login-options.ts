/**
 * Per-login choices: the `loginOptions(req)` hook of the router decides,
 * for each login, whether to ask in immediate mode, whether to associate,
 * which profile fields and PAPE policies to ask for and which further
 * extensions to add. Its answer is checked at request time; an answer that
 * does not fit is a failed login with the reason `invalid_login_options`
 * (a message naming the field), never a 500.
 */
import type { Extension } from 'openid2-core';
import { checkPape, checkProfileFields } from './extension-checks.js';
import { isSafeReturnPath } from './return-path.js';

/** What `loginOptions(req)` may return; a field left out keeps the router's setting. */
export interface LoginChoices {
  /** Send checkid_immediate: the OP answers without showing anything, or "setup needed" (§9.3). @default false */
  immediate?: boolean;
  /** Do not associate for this login (the assertion is checked with check_authentication). @default the router's setting */
  stateless?: boolean;
  /** Profile fields to ask for in this login, instead of the router's `profile`. */
  profile?: { required?: readonly string[]; optional?: readonly string[] };
  /** PAPE policies to ask for in this login, instead of the router's `pape`. */
  pape?: { policies?: readonly string[]; maxAuthAge?: number };
  /** Further extension requests for this login (SREG, AX, PAPE request objects, or your own `{ namespace, args }`). */
  extensions?: readonly Extension[];
  /** The same-origin path to go to after sign-in (overrides the `returnTo` field). */
  returnTo?: string;
}

const FIELDS = new Set(['immediate', 'stateless', 'profile', 'pape', 'extensions', 'returnTo']);

function isExtension(value: unknown): value is Extension {
  const candidate = value as Partial<Extension> | null;
  return candidate !== null && typeof candidate === 'object' && typeof candidate.namespace === 'string' && candidate.namespace !== '' && candidate.args !== null && typeof candidate.args === 'object';
}

/** Why the hook's answer does not fit, or undefined when it does. */
function problemOf(value: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(value)) if (!FIELDS.has(key)) return `${key} is not a login option (known: ${[...FIELDS].join(', ')})`;
  for (const key of ['immediate', 'stateless'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') return `${key} must be true or false`;
  }
  if (value.extensions !== undefined && !(Array.isArray(value.extensions) && value.extensions.every(isExtension))) {
    return 'extensions must be a list of extension requests ({ namespace, args })';
  }
  if (value.returnTo !== undefined && !isSafeReturnPath(value.returnTo)) return 'returnTo must be a path on this site';
  try {
    checkProfileFields(value.profile as LoginChoices['profile'], 'profile');
    checkPape(value.pape as LoginChoices['pape'], 'pape');
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/**
 * Checks what `loginOptions` returned: the choices, or the message of the
 * `invalid_login_options` failure.
 */
export function checkLoginChoices(value: unknown): { choices: LoginChoices } | { problem: string } {
  if (value === undefined) return { choices: {} };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'loginOptions must return an object (or nothing)' };
  const problem = problemOf(value as Record<string, unknown>);
  return problem === undefined ? { choices: value as LoginChoices } : { problem: `loginOptions returned an unusable answer: ${problem}` };
}
