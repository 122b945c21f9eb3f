/**
 * Assertions as raw wire pairs, so that an attack can send what `Message`
 * would refuse to build (duplicate keys, a NUL byte), and signing over
 * chosen fields with a chosen key.
 * @see OpenID 2.0 §6.1 (signature), §10.1 (positive assertions)
 */
import { randomBytes } from 'node:crypto';
import { Association } from 'openid2-core';
import { secretLengthOf } from 'openid2-core/internals';
import { escapeMarkup } from './http.js';

/** Wire pairs in order, keys with their `openid.` prefix; keys may repeat. */
export type Pairs = Array<[string, string]>;

/** How an assertion travels through the browser to the relying party. */
export interface Delivery {
  method: 'GET' | 'POST';
  /** Where the browser is sent: the return URL (its own query kept). */
  target: string;
  pairs: Pairs;
}

/** The first value of a key, or undefined. */
export function valueOf(pairs: Pairs, key: string): string | undefined {
  return pairs.find(([name]) => name === key)?.[1];
}

/** Sets a key in place (its first occurrence), or appends it. */
export function setValue(pairs: Pairs, key: string, value: string): Pairs {
  const index = pairs.findIndex(([name]) => name === key);
  if (index < 0) return [...pairs, [key, value]];
  return pairs.map((pair, i): [string, string] => (i === index ? [key, value] : pair));
}

/**
 * Signs `fields` (names without `openid.`) of `pairs` with `association`:
 * sets `openid.assoc_handle`, `openid.signed` and `openid.sig`.
 */
export function signPairs(association: Association, pairs: Pairs, fields: readonly string[]): Pairs {
  const list = [...fields];
  for (const required of ['assoc_handle', 'signed']) if (!list.includes(required)) list.push(required);
  let out = setValue(pairs, 'openid.assoc_handle', association.handle);
  out = setValue(out, 'openid.signed', list.join(','));
  const signedPairs = list.map((field): [string, string] => [field, valueOf(out, `openid.${field}`) ?? '']);
  return setValue(out, 'openid.sig', association.sign(signedPairs).toString('base64'));
}

/** The same handle and type with another secret: a signature only a forger makes. */
export function impostorOf(association: Association): Association {
  return new Association({
    handle: association.handle,
    secret: randomBytes(secretLengthOf(association.assocType)),
    issued: association.issued,
    lifetime: association.lifetime,
    assocType: association.assocType,
  });
}

/** The URL a redirect delivery goes to: the pairs appended to the target's query (§5.2.1). */
export function deliveryUrl(delivery: Delivery): string {
  const query = new URLSearchParams(delivery.pairs).toString();
  const joiner = delivery.target.includes('?') ? '&' : '?';
  return `${delivery.target}${joiner}${query}`;
}

/** An auto-submitting page that posts the pairs to the target (§5.2.2). NUL and other control characters go as character references. */
export function deliveryForm(delivery: Delivery): string {
  // eslint-disable-next-line no-control-regex
  const attr = (text: string): string => escapeMarkup(text).replace(/[\u0000-\u001f]/g, (c) => `&#${c.charCodeAt(0)};`);
  const inputs = delivery.pairs.map(([name, value]) => `<input type="hidden" name="${attr(name)}" value="${attr(value)}">`).join('\n');
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>OpenID</title></head><body>\n<form method="post" action="${attr(delivery.target)}">\n${inputs}\n<input type="submit" value="Continue">\n</form>\n<script>document.forms[0].submit();</script>\n</body></html>\n`;
}
