/** XRDS and HTML fixture documents for the discovery tests. */
import { OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE, RP_RETURN_TO_TYPE } from '../../src/constants.js';

export const XRDS_TYPE = 'application/xrds+xml';

export function service(types: string[], uris: Array<string | [string, number]>, extra = '', priority?: number): string {
  const prio = priority === undefined ? '' : ` priority="${priority}"`;
  const typeXml = types.map((type) => `<Type>${type}</Type>`).join('');
  const uriXml = uris.map((uri) => (typeof uri === 'string' ? `<URI>${uri}</URI>` : `<URI priority="${uri[1]}">${uri[0]}</URI>`)).join('');
  return `<Service${prio}>${typeXml}${uriXml}${extra}</Service>`;
}

/** An XRDS document with one XRD holding the given services. */
export function xrds(...services: string[]): string {
  return multiXrds(services.join(''));
}

/** An XRDS document with one XRD per argument. */
export function multiXrds(...xrdBodies: string[]): string {
  const xrds = xrdBodies.map((body) => `<XRD>${body}</XRD>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)" xmlns:openid="http://openid.net/xmlns/1.0">${xrds}</xrds:XRDS>`;
}

export const signon2 = (op: string, localId?: string): string =>
  service([OPENID_2_0_TYPE], [op], localId === undefined ? '' : `<LocalID>${localId}</LocalID>`);
export const signon1 = (op: string, delegate?: string): string =>
  service([OPENID_1_1_TYPE], [op], delegate === undefined ? '' : `<openid:Delegate>${delegate}</openid:Delegate>`);
export const opIdentifier = (op: string): string => service([OPENID_IDP_2_0_TYPE], [op]);
export const returnTo = (...uris: string[]): string => service([RP_RETURN_TO_TYPE], uris);

export function html(head: string, body = '<p>hello</p>'): string {
  return `<!DOCTYPE html><html><head><title>id</title>${head}</head><body>${body}</body></html>`;
}

export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service><Type>&lol9;</Type></Service></XRD></xrds:XRDS>`;

export const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service><Type>&xxe;</Type><URI>http://op.example/</URI></Service></XRD></xrds:XRDS>`;
