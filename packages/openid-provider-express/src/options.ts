/**
 * Options of the provider middleware, validated when it is created.
 */
import type { Request } from 'express';
import { OpenIDConfigError, Server, type CheckIDRequest, type ExtensionArgs, type Fetcher, type OpenIDStore, type Profile, type ProfileField } from 'openid-core';

/** What the decision hook learns about a checkid request. */
export interface DecisionContext {
  req: Request;
  request: CheckIDRequest;
  /** The realm, verified to contain return_to and sane. */
  realm: string;
  /** Whether relying party discovery published this return_to (§9.2.1); warn the user when false. */
  returnToVerified: boolean;
  /** Profile fields the relying party asked for (SREG and AX together). */
  requested: { required: ProfileField[]; optional: ProfileField[] };
  /** PAPE policies the relying party prefers, if it asked. */
  pape: { preferredPolicies: string[]; maxAuthAge: number | undefined } | undefined;
}

/** The app's decision. */
export type Decision =
  | {
      type: 'allow';
      identity?: string;
      claimedId?: string;
      /** Released profile values, signed into the answer as SREG and/or AX (as the request asked). */
      profile?: Profile;
      /** PAPE answer: policies met, and when the user authenticated. */
      pape?: { policies: string[]; authTime?: Date };
      extensions?: readonly ExtensionArgs[];
    }
  | { type: 'deny' }
  | { type: 'interact' };

export interface ProviderOptions {
  /** A configured server; or give `endpoint` and `store` and one is made. */
  server?: Server;
  /** The OP endpoint URL, where this router is mounted. */
  endpoint?: string;
  store?: OpenIDStore;
  fetcher?: Fetcher;
  /** Decides checkid requests: allow, deny, or interact (log in, consent). */
  decide(context: DecisionContext): Promise<Decision>;
  /**
   * The app's login/consent page, given the interaction id (as a query
   * parameter `interaction` when a string is given).
   */
  interactionUrl: string | ((interactionId: string) => string);
  /** How long a pending interaction lives, in milliseconds. @default 600000 (10 minutes) */
  interactionTtlMs?: number;
  /** Size limit of POSTed requests. @default '64kb' */
  bodyLimit?: string;
}

export interface ResolvedOptions {
  server: Server;
  decide: ProviderOptions['decide'];
  interactionUrl: (interactionId: string) => string;
  interactionTtlMs: number;
  bodyLimit: string;
}

export function resolveOptions(options: ProviderOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new OpenIDConfigError('options are required');
  if (typeof options.decide !== 'function') throw new OpenIDConfigError('must be a function returning a Promise of a decision', 'decide');
  let server = options.server;
  if (server === undefined) {
    if (options.endpoint === undefined) throw new OpenIDConfigError('give either server, or endpoint and store', 'endpoint');
    if (options.store === undefined) throw new OpenIDConfigError('give either server, or endpoint and store', 'store');
    server = new Server({ endpoint: options.endpoint, store: options.store, ...(options.fetcher === undefined ? {} : { fetcher: options.fetcher }) });
  }
  const { interactionUrl } = options;
  if (typeof interactionUrl !== 'string' && typeof interactionUrl !== 'function') {
    throw new OpenIDConfigError('must be a URL path or a function of the interaction id', 'interactionUrl');
  }
  return {
    server,
    decide: options.decide,
    interactionUrl:
      typeof interactionUrl === 'function'
        ? interactionUrl
        : (id) => `${interactionUrl}${interactionUrl.includes('?') ? '&' : '?'}interaction=${encodeURIComponent(id)}`,
    interactionTtlMs: options.interactionTtlMs ?? 10 * 60 * 1000,
    bodyLimit: options.bodyLimit ?? '64kb',
  };
}
