/**
 * The text of an `openid.error` field, written by the server (§5.1.2) and
 * quoted by the relying party when it reports an OP's error: both sides
 * share one rule for what such text may contain.
 * @see OpenID 2.0 §5.1.2, §4.1.1
 */

/** Error text fit for a message: one line, printable, bounded. Input echoed in errors can't smuggle fields. */
export function sanitizeErrorText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  return oneLine.length > 400 ? `${oneLine.slice(0, 400)}…` : oneLine;
}
