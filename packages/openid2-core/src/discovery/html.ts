/**
 * HTML-based discovery: `<link rel>` elements naming the OP endpoint and
 * the OP-local identifier, and the Yadis `<meta http-equiv>` pointer. Parsed
 * with a real HTML parser (htmlparser2), which also decodes entities.
 * @see OpenID 2.0 §7.3.3; OpenID 1.1 §3.1; Yadis 1.0 §6.2.5
 */
import { Parser } from 'htmlparser2';

/** What the head of an HTML page says about OpenID. */
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

/**
 * Nesting beyond which the head is considered over. htmlparser2 keeps its
 * open-element stack with `unshift`, so a page of thousands of unclosed
 * elements costs quadratic time; no real head is nested this deep.
 */
const MAX_DEPTH = 128;
const CHUNK = 16 * 1024;

/** Thrown inside the parser's callbacks to stop it: the rest of the page is of no interest. */
class EndOfHead extends Error {}

function record(info: HTMLDiscoveryInfo, name: string, attributes: Record<string, string>): void {
  if (name === 'link' && attributes.rel !== undefined && attributes.href !== undefined) {
    const href = attributes.href.trim();
    for (const token of attributes.rel.toLowerCase().split(/[\t\n\f\r ]+/)) {
      const key = RELS[token as keyof typeof RELS];
      if (key !== undefined && info[key] === undefined) info[key] = href;
    }
  }
  if (name === 'meta' && attributes['http-equiv']?.trim().toLowerCase() === 'x-xrds-location' && attributes.content !== undefined) {
    info.xrdsLocation ??= attributes.content.trim();
  }
}

/**
 * Parses the head of an HTML page for OpenID links: `<link>` and `<meta>`
 * elements before `<body>` (links in the body are ignored, like
 * python-openid). Several rel tokens per link, any case; the first link of
 * each kind wins. Parsing stops at `<body>`, so the cost is bounded by the
 * head, not the page.
 */
export function parseHTMLDiscovery(html: string): HTMLDiscoveryInfo {
  const info: HTMLDiscoveryInfo = { provider2: undefined, localId2: undefined, provider1: undefined, delegate1: undefined, xrdsLocation: undefined };
  let depth = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'body') throw new EndOfHead();
        depth += 1;
        if (depth > MAX_DEPTH) throw new EndOfHead();
        record(info, name, attributes);
      },
      onclosetag() {
        depth -= 1;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  try {
    for (let offset = 0; offset < html.length; offset += CHUNK) parser.write(html.slice(offset, offset + CHUNK));
    parser.end();
  } catch (error) {
    if (!(error instanceof EndOfHead)) throw error;
  }
  return info;
}

/** The charset a page declares in `<meta charset>` or `<meta http-equiv="Content-Type">` within its first 2 KiB, if any. */
export function sniffHTMLCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const match = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_:.-]+)/i.exec(head);
  return match?.[1]?.toLowerCase();
}
