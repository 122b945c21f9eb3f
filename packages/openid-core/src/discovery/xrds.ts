/**
 * XRDS documents (Yadis), parsed with @xmldom/xmldom. Documents with a
 * DOCTYPE or entity declarations are refused before parsing, so no entity is
 * ever expanded and nothing external is ever loaded.
 * @see OpenID 2.0 §7.3.2; XRI Resolution 2.0 §4.3
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { OPENID_1_XML_NS } from '../constants.js';
import { DiscoveryError } from '../errors.js';

export const XRDS_NS = 'xri://$xrds';
export const XRD_NS = 'xri://$xrd*($v*2.0)';

/** A `<Service>` element of the last XRD. */
export interface XRDService {
  types: string[];
  /** URIs sorted by priority. */
  uris: string[];
  localId: string | undefined;
  /** `openid:Delegate` of OpenID 1.x service elements. */
  delegate: string | undefined;
  priority: number | undefined;
}

export interface ParsedXRDS {
  services: XRDService[];
  /** `CanonicalID` of the last XRD (XRI resolution). */
  canonicalId: string | undefined;
}

function priorityOf(element: Element): number | undefined {
  const text = element.getAttribute('priority');
  return text !== null && /^\d+$/.test(text) ? Number(text) : undefined;
}

function byPriority<T extends { priority: number | undefined; index: number }>(a: T, b: T): number {
  const pa = a.priority ?? Number.POSITIVE_INFINITY;
  const pb = b.priority ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.index - b.index;
}

function children(parent: Element, ns: string, name: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    const element = node as Element;
    if (node.nodeType === 1 && element.namespaceURI === ns && element.localName === name) out.push(element);
  }
  return out;
}

const text = (element: Element): string => (element.textContent ?? '').trim();

function parseService(service: Element): XRDService {
  const uris = children(service, XRD_NS, 'URI')
    .map((element, index) => ({ value: text(element), priority: priorityOf(element), index }))
    .filter((entry) => entry.value !== '')
    .sort(byPriority)
    .map((entry) => entry.value);
  return {
    types: children(service, XRD_NS, 'Type').map(text).filter((type) => type !== ''),
    uris,
    localId: children(service, XRD_NS, 'LocalID').map(text)[0],
    delegate: children(service, OPENID_1_XML_NS, 'Delegate').map(text)[0],
    priority: priorityOf(service),
  };
}

/** Parses an XRDS document: the services of its last XRD, sorted by priority. */
export function parseXRDS(document: string): ParsedXRDS {
  if (/<!DOCTYPE|<!ENTITY/i.test(document)) {
    throw new DiscoveryError('The XRDS document declares a DOCTYPE or entities, which are refused', '');
  }
  let root: Element | null;
  try {
    const parser = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new DiscoveryError(`The XRDS document is not well-formed XML: ${message}`, '');
      },
    });
    root = parser.parseFromString(document, 'text/xml').documentElement;
  } catch (cause) {
    if (cause instanceof DiscoveryError) throw cause;
    throw new DiscoveryError(`The XRDS document is not well-formed XML: ${(cause as Error).message}`, '', { cause });
  }
  if (root === null || root.namespaceURI !== XRDS_NS || root.localName !== 'XRDS') {
    throw new DiscoveryError('The document is not an XRDS document (no xrds:XRDS root element)', '');
  }
  const xrds = children(root, XRD_NS, 'XRD');
  const last = xrds[xrds.length - 1];
  if (last === undefined) throw new DiscoveryError('The XRDS document has no XRD element', '');
  const services = children(last, XRD_NS, 'Service')
    .map((element, index) => ({ ...parseService(element), index }))
    .sort(byPriority)
    .map(({ index: _index, ...service }) => service);
  return { services, canonicalId: children(last, XRD_NS, 'CanonicalID').map(text)[0] };
}
