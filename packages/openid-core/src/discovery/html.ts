/**
 * HTML-based discovery: `<link rel>` elements naming the OP endpoint and
 * the OP-local identifier, and the Yadis `<meta http-equiv>` pointer. Parsed
 * with a real HTML parser (htmlparser2), which also decodes entities.
 * @see OpenID 2.0 §7.3.3; OpenID 1.1 §3.1; Yadis 1.0 §6.2.5
 */
import { Parser } from 'htmlparser2';

export interface HTMLDiscoveryInfo {
  /** `openid2.provider` href. */
  provider2: string | undefined;
  /** `openid2.local_id` href. */
  localId2: string | undefined;
  /** `openid.server` href. */
  provider1: string | undefined;
  /** `openid.delegate` href. */
  delegate1: string | undefined;
  /** `<meta http-equiv="X-XRDS-Location" content>`. */
  xrdsLocation: string | undefined;
}

const RELS = { 'openid2.provider': 'provider2', 'openid2.local_id': 'localId2', 'openid.server': 'provider1', 'openid.delegate': 'delegate1' } as const;

/** Parses the head of an HTML page for OpenID links. The first link of each kind wins. */
export function parseHTMLDiscovery(html: string): HTMLDiscoveryInfo {
  const info: HTMLDiscoveryInfo = { provider2: undefined, localId2: undefined, provider1: undefined, delegate1: undefined, xrdsLocation: undefined };
  let inBody = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'body') inBody = true;
        if (inBody) return;
        if (name === 'link' && attributes.rel !== undefined && attributes.href !== undefined) {
          const href = attributes.href.trim();
          for (const token of attributes.rel.toLowerCase().split(/\s+/)) {
            const key = RELS[token as keyof typeof RELS];
            if (key !== undefined && info[key] === undefined) info[key] = href;
          }
        }
        if (name === 'meta' && attributes['http-equiv']?.toLowerCase() === 'x-xrds-location' && attributes.content !== undefined) {
          info.xrdsLocation ??= attributes.content.trim();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return info;
}

/** The charset a page declares in `<meta charset>` or `<meta http-equiv="Content-Type">`, if any. */
export function sniffHTMLCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const match = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_:.-]+)/i.exec(head);
  return match?.[1]?.toLowerCase();
}
