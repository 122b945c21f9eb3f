/**
 * A finding: one line saying what is wrong and what to do. Checks return
 * the findings they make (none when all is well); `report` hands them to a
 * logger and, in strict mode, throws on errors.
 */
import { OpenIDConfigError } from 'openid2-core';

/** How bad a finding is: an `error` breaks logins (or security) and fails strict mode; a `warning` costs something but works. */
export type FindingLevel = 'error' | 'warning';

/** One problem a check found: a stable id, its level, and one line saying what is wrong and what to do. */
export interface Finding {
  /** Stable identifier of the check and problem, e.g. `rp.samesite_strict`. */
  id: string;
  /** Whether it breaks logins (`error`) or only costs something (`warning`). */
  level: FindingLevel;
  /** One line: what is wrong and what to do. */
  message: string;
}

/** Options of {@link report}: where findings go, and whether errors throw. */
export interface ReportOptions {
  /** Receives every finding (an event logger's warn, `console.warn`…). @default none */
  log?: (finding: Finding) => void;
  /** Receives warnings only (errors go to `log`, or are thrown in strict mode). @default none */
  onWarning?: (finding: Finding) => void;
  /** Throw an OpenIDConfigError when any finding is an error. @default false */
  strict?: boolean;
}

/** Builds a finding (for checks of one's own, next to the built-in ones). */
export function finding(id: string, level: FindingLevel, message: string): Finding {
  return { id, level, message };
}

/** One line: `error   rp.samesite_none_needs_secure  SameSite=None needs Secure…` */
export function formatFinding(item: Finding): string {
  return `${item.level.padEnd(7)} ${item.id}  ${item.message}`;
}

/**
 * Hands findings to the logger; in strict mode throws when one is an error.
 * @throws OpenIDConfigError (option `doctor`) listing the errors, in strict mode
 */
export function report(findings: readonly Finding[], options: ReportOptions = {}): readonly Finding[] {
  for (const item of findings) {
    options.log?.(item);
    if (item.level === 'warning') options.onWarning?.(item);
  }
  const errors = findings.filter((item) => item.level === 'error');
  if (options.strict === true && errors.length > 0) {
    throw new OpenIDConfigError(`the deployment check found ${errors.length} error(s): ${errors.map((item) => `${item.id}: ${item.message}`).join(' | ')}`, 'doctor');
  }
  return findings;
}
