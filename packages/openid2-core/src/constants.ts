/**
 * Namespace and type URIs of OpenID Authentication.
 * @see OpenID 2.0 §4.1.2, §7.3.2, §13; OpenID 1.1 §7
 */

/** `openid.ns` of an OpenID 2.0 message. */
export const OPENID2_NS = 'http://specs.openid.net/auth/2.0';
/** `openid.ns` values that mean OpenID 1.x compatibility mode (OpenID 2.0 §4.1.2). */
export const OPENID1_NS = 'http://openid.net/signon/1.0';
/** `openid.ns` of an OpenID 1.1 message, accepted as OpenID 1.x compatibility mode (OpenID 2.0 §4.1.2). */
export const OPENID11_NS = 'http://openid.net/signon/1.1';
/** Both OpenID 1.x namespace values: a message with either (or with no `openid.ns`) is read as OpenID 1.x. @see OpenID 2.0 §4.1.2 */
export const OPENID1_NAMESPACES: readonly string[] = [OPENID1_NS, OPENID11_NS];

/** `openid.claimed_id` and `openid.identity` of an identifier-select request (§9.1). */
export const IDENTIFIER_SELECT = 'http://specs.openid.net/auth/2.0/identifier_select';

/** XRDS service type of a claimed identifier's OpenID 2.0 endpoint (signon). @see OpenID 2.0 §7.3.2.1.2 */
export const OPENID_2_0_TYPE = 'http://specs.openid.net/auth/2.0/signon';
/** XRDS service type of an OP identifier's endpoint (server): the user picks an identity at the OP. @see OpenID 2.0 §7.3.2.1.1 */
export const OPENID_IDP_2_0_TYPE = 'http://specs.openid.net/auth/2.0/server';
/** XRDS service type of an OpenID 1.1 endpoint (OpenID 2.0 §14.2.1). */
export const OPENID_1_1_TYPE = 'http://openid.net/signon/1.1';
/** XRDS service type of an OpenID 1.0 endpoint (OpenID 2.0 §14.2.1). */
export const OPENID_1_0_TYPE = 'http://openid.net/signon/1.0';
/** XRDS service type under which a relying party publishes its return_to URLs. @see OpenID 2.0 §13 */
export const RP_RETURN_TO_TYPE = 'http://specs.openid.net/auth/2.0/return_to';

/** Namespace of the `openid:Delegate` element of OpenID 1.x XRDS service elements. */
export const OPENID_1_XML_NS = 'http://openid.net/xmlns/1.0';

/** Simple Registration 1.0 namespace; OpenID 1.x messages use it under the fixed alias `sreg`. */
export const SREG_1_0_NS = 'http://openid.net/sreg/1.0';
/** Simple Registration 1.1 namespace (SREG 1.0 predates namespaces), sent in OpenID 2.0 messages under a declared alias. */
export const SREG_1_1_NS = 'http://openid.net/extensions/sreg/1.1';

/** Attribute Exchange 1.0 namespace. @see AX 1.0 §2 */
export const AX_1_0_NS = 'http://openid.net/srv/ax/1.0';
/** Provider Authentication Policy Extension 1.0 namespace. @see PAPE 1.0 §5 */
export const PAPE_1_0_NS = 'http://specs.openid.net/extensions/pape/1.0';

/** OpenID 2.0 limits a redirect URL to this many characters; longer messages use a form POST (§5.2.1). */
export const MAX_REDIRECT_URL_LENGTH = 2047;
