// Relying party discovery for the whole site (OpenID 2.0 §13): one XRDS at
// the realm listing the return URL of each of the site's sign-in routers
// (identifier, example provider, Steam), so a provider can verify any of them.
import { escapeHTML, RP_RETURN_TO_TYPE } from 'openid2-core';

function xrds(returnUrls) {
  const services = returnUrls.map((url) => `    <Service priority="1">\n      <Type>${RP_RETURN_TO_TYPE}</Type>\n      <URI>${escapeHTML(url)}</URI>\n    </Service>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)">\n  <XRD>\n${services}\n  </XRD>\n</xrds:XRDS>\n`;
}

/**
 * Routes `GET /xrds` and returns the middleware for the realm's page: the
 * `X-XRDS-Location` header, or the XRDS itself to clients that ask for it.
 */
export function realmDiscovery(app, base, returnUrls) {
  const document = xrds(returnUrls);
  app.get('/xrds', (req, res) => res.type('application/xrds+xml').send(document));
  return (req, res, next) => {
    res.setHeader('X-XRDS-Location', `${base}/xrds`);
    if ((req.get('accept') ?? '').includes('application/xrds+xml')) return res.type('application/xrds+xml').send(document);
    return next();
  };
}
