/**
 * The session cookie against how assertions arrive. The OP sends the user
 * back by a cross-site redirect (GET) or, for long answers, a cross-site
 * form POST (§5.2.2): browsers withhold `SameSite=Lax` cookies from the
 * POST and `Strict` ones from both, so the login's transaction seems lost.
 */
import { finding, type Finding } from '../finding.js';

/** The session cookie's settings that decide whether it comes back with the OP's answer (express-session's `cookie` option). */
export interface SessionCookieSettings {
  /** express-session's `cookie.sameSite`. @default browsers treat unset as 'lax' */
  sameSite?: boolean | 'lax' | 'strict' | 'none' | undefined;
  /** express-session's `cookie.secure` ('auto' follows req.secure). @default false (express-session's default) */
  secure?: boolean | 'auto' | undefined;
}

/**
 * Checks the session cookie against how assertions arrive (see the module
 * comment): `SameSite=Strict`, `SameSite=None` without `Secure`, a `Secure`
 * cookie on an http site, and a non-`Secure` cookie on an https one.
 * @param publicUrl the relying party's public URL (`baseUrl`)
 * @param resubmits whether the relying party resends an answer that arrived without the cookie (openid-consumer-express does)
 */
export function checkSessionCookie(publicUrl: string, cookie: SessionCookieSettings, resubmits: boolean): Finding[] {
  const findings: Finding[] = [];
  const https = new URL(publicUrl).protocol === 'https:';
  const sameSite = cookie.sameSite === true ? 'strict' : cookie.sameSite === false || cookie.sameSite === undefined ? 'lax' : cookie.sameSite;
  if (cookie.secure === true && !https) {
    findings.push(finding('rp.secure_cookie_over_http', 'error', `the session cookie is Secure but ${publicUrl} is http: browsers never send it back, no login can finish`));
  }
  if (cookie.secure !== true && cookie.secure !== 'auto' && https) {
    findings.push(finding('rp.cookie_not_secure', 'warning', "the site is https but the session cookie is not Secure: set cookie.secure = true (with trust proxy behind a proxy)"));
  }
  if (sameSite === 'none' && cookie.secure !== true && cookie.secure !== 'auto') {
    findings.push(finding('rp.samesite_none_needs_secure', 'error', 'SameSite=None without Secure: browsers drop the cookie; set cookie.secure = true'));
  }
  if (sameSite === 'strict') {
    const effect = resubmits ? 'every login costs an extra resubmission page' : 'every answer from the OP arrives without the session and the login fails';
    findings.push(finding('rp.samesite_strict', resubmits ? 'warning' : 'error', `SameSite=Strict: the OP's redirect back is cross-site, so ${effect}; use 'lax'`));
  }
  if (sameSite === 'lax' && !resubmits) {
    findings.push(finding('rp.samesite_lax_post', 'warning', 'SameSite=Lax: long answers the OP POSTs back arrive without the session cookie; resubmit them from your own page or keep the transaction elsewhere'));
  }
  return findings;
}
