/**
 * XRDS documents (Yadis), parsed with @xmldom/xmldom. Documents with a
 * DOCTYPE or entity declarations are refused before parsing, so no entity is
 * ever expanded and nothing external is ever loaded; the document's shape
 * is bounded before parsing (see xml-shape.ts).
 * @see OpenID 2.0 §7.3.2; XRI Resolution 2.0 §4.2, §4.3.3
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { OPENID_1_XML_NS } from '../constants.js';
import { DiscoveryError } from '../errors.js';
import { checkXMLShape } from './xml-shape.js';

/** XML namespace of the `<xrds:XRDS>` root element. */
export const XRDS_NS = 'xri://$xrds';
/** XML namespace of `<XRD>` and its `<Service>` elements (XRD version 2.0). */
export const XRD_NS = 'xri://$xrd*($v*2.0)';

/** A `<Service>` element of the last XRD. */
export interface XRDService {
  /** `Type` URIs, in document order. */
  types: string[];
  /** `URI`s, sorted by priority. */
  uris: string[];
  /** `LocalID` values (normally one). */
  localIds: string[];
  /** `openid:Delegate` values of OpenID 1.x service elements (normally one). */
  delegates: string[];
  /** The service's priority; undefined is the lowest. */
  priority: number | undefined;
}

/** What an XRDS document says. */
export interface ParsedXRDS {
  /** The services of the last XRD, sorted by priority (document order among equals). */
  services: XRDService[];
  /** `CanonicalID` of the last XRD. */
  canonicalId: string | undefined;
  /** `CanonicalID` of every XRD, in document order (XRI resolution checks the chain). */
  canonicalIds: Array<string | undefined>;
  /** `Status` code of the last XRD, if it has one (XRI resolution). */
  statusCode: string | undefined;
}

/** Priorities are non-negative integers; anything else counts as none (the lowest). @see XRI Resolution 2.0 §4.3.3 */
function priorityOf(element: Element): number | undefined {
  const value = element.getAttribute('priority');
  return value !== null && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
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

const textOf = (element: Element): string => (element.textContent ?? '').trim();
const texts = (parent: Element, ns: string, name: string): string[] => children(parent, ns, name).map(textOf).filter((value) => value !== '');

function parseService(service: Element): XRDService {
  const uris = children(service, XRD_NS, 'URI')
    .map((element, index) => ({ value: textOf(element), priority: priorityOf(element), index }))
    .filter((entry) => entry.value !== '')
    .sort(byPriority)
    .map((entry) => entry.value);
  return {
    types: texts(service, XRD_NS, 'Type'),
    uris,
    localIds: texts(service, XRD_NS, 'LocalID'),
    delegates: texts(service, OPENID_1_XML_NS, 'Delegate'),
    priority: priorityOf(service),
  };
}

/** Parses with xmldom, every error and fatal error thrown as a DiscoveryError. */
function parseXML(document: string, identifier: string): Element | null {
  const malformed = (message: string, cause?: unknown): DiscoveryError =>
    new DiscoveryError(`The XRDS document is not well-formed XML: ${message}`, identifier, { cause });
  try {
    const parser = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw malformed(message);
      },
    });
    return parser.parseFromString(document, 'text/xml').documentElement;
  } catch (cause) {
    if (cause instanceof DiscoveryError) throw cause;
    throw malformed(cause instanceof Error ? cause.message : String(cause), cause);
  }
}

/** Refuses what must never reach the parser: declarations (entities, external subsets) and unbounded shapes. */
function screen(document: string, identifier: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(document)) {
    throw new DiscoveryError('The XRDS document declares a DOCTYPE or entities, which are refused', identifier);
  }
  const excess = checkXMLShape(document);
  if (excess !== undefined) throw new DiscoveryError(`The XRDS document is refused: ${excess}`, identifier);
}

/**
 * Parses an XRDS document: the services of its last XRD, sorted by
 * priority, with their URIs sorted by priority.
 * @param identifier what discovery was about, for the errors
 * @throws DiscoveryError for refused, malformed or non-XRDS documents
 */
export function parseXRDS(document: string, identifier = ''): ParsedXRDS {
  screen(document, identifier);
  const root = parseXML(document, identifier);
  if (root === null || root.namespaceURI !== XRDS_NS || root.localName !== 'XRDS') {
    throw new DiscoveryError('The document is not an XRDS document (no xrds:XRDS root element)', identifier);
  }
  const xrds = children(root, XRD_NS, 'XRD');
  const last = xrds[xrds.length - 1];
  if (last === undefined) throw new DiscoveryError('The XRDS document has no XRD element', identifier);
  const services = children(last, XRD_NS, 'Service')
    .map((element, index) => ({ ...parseService(element), index }))
    .sort(byPriority)
    .map(({ index: _index, ...service }) => service);
  const canonicalIds = xrds.map((xrd) => texts(xrd, XRD_NS, 'CanonicalID')[0]);
  const statusCode = children(last, XRD_NS, 'Status')[0]?.getAttribute('code') ?? undefined;
  return { services, canonicalId: canonicalIds[canonicalIds.length - 1], canonicalIds, statusCode };
}
