/**
 * The URL requests actually arrive at, against the configured one: behind
 * a proxy, Express sees the proxy's scheme and host unless `trust proxy` is
 * set, so return_to (relying party) and op_endpoint (provider) built from
 * the request name an internal address.
 */
import { finding, type Finding } from '../finding.js';

/** What one request tells about where it arrived. */
export interface Arrival {
  /** `req.protocol` as Express computed it ('http' or 'https'). */
  protocol: string;
  /** `req.get('host')` as Express computed it (`req.host` honours trust proxy in Express 5). */
  host: string;
  /** The raw `X-Forwarded-Proto` header, if any. */
  forwardedProto?: string | undefined;
  /** The raw `X-Forwarded-Host` header, if any. */
  forwardedHost?: string | undefined;
  /** `app.get('trust proxy')` is set. */
  trustProxy: boolean;
}

const first = (value: string | undefined): string | undefined => value?.split(',')[0]?.trim() || undefined;

/**
 * Compares where a request arrived with the configured public URL: a request
 * through a proxy while `trust proxy` is off, or a scheme or host other than
 * the configured one, is a finding (`<prefix>.trust_proxy_off` and others).
 * @param configured the public URL the deployment says it has (`baseUrl`, the endpoint), or undefined when URLs are built from requests
 * @param prefix `rp` or `op`
 */
export function checkArrival(prefix: string, configured: string | undefined, arrival: Arrival): Finding[] {
  const findings: Finding[] = [];
  const proto = first(arrival.forwardedProto);
  const host = first(arrival.forwardedHost);
  const proxied = proto !== undefined || host !== undefined;
  if (proxied && !arrival.trustProxy) {
    const level = configured === undefined ? 'error' : 'warning';
    const effect = configured === undefined ? 'URLs built from requests name the proxy side' : 'req.protocol and req.secure are wrong';
    findings.push(finding(`${prefix}.trust_proxy_off`, level, `requests come through a proxy (X-Forwarded-Proto ${proto ?? '-'}, X-Forwarded-Host ${host ?? '-'}) but trust proxy is off: ${effect}; app.set('trust proxy', <your proxy>)`));
  }
  if (configured !== undefined && (!proxied || arrival.trustProxy)) {
    const expected = new URL(configured);
    const seen = proxied ? `${proto ?? arrival.protocol}://${host ?? arrival.host}` : `${arrival.protocol}://${arrival.host}`;
    if (`${expected.protocol}//${expected.host}` !== seen) {
      // Through a trusted proxy the public URL itself differs; directly, someone reaches the app at another address.
      const level = proxied ? 'error' : 'warning';
      findings.push(finding(`${prefix}.public_url_mismatch`, level, `configured as ${expected.origin} but this request arrived as ${seen}: logins started here return to ${expected.origin}; fix the configured URL or the proxy headers`));
    }
  }
  return findings;
}
