/**
 * The consumer's session: any object with get/set/delete (sync or async).
 * Transactions are kept there between begin and complete, so an assertion
 * is accepted only in the browser that started the login. The transaction
 * id travels in return_to (signed by the OP), which also makes it the
 * consumer-side nonce OpenID 1.x needs: it can be taken out once.
 */
import type { ServiceEndpoint } from '../discovery/endpoint.js';

/** Where the consumer keeps transactions: express-session's `req.session` through {@link objectSession}, or any key-value session. */
export interface ConsumerSessionStore {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
  delete(key: string): unknown;
}

/** Adapts a plain object, such as express-session's `req.session`. */
export function objectSession(target: Record<string, unknown>): ConsumerSessionStore {
  return {
    get: (key) => target[key],
    set: (key, value) => {
      target[key] = value;
    },
    delete: (key) => {
      delete target[key];
    },
  };
}

/** One login in progress: what begin() discovered, to verify the answer against. */
export interface Transaction {
  id: string;
  opEndpoint: string;
  claimedId: string | undefined;
  localId: string | undefined;
  typeUris: string[];
  usedYadis: boolean;
  /** Milliseconds since the epoch. */
  created: number;
}

/** The return_to query argument carrying the transaction id. */
export const TRANSACTION_PARAM = 'openid_tx';
/** The session key holding the transactions in progress. */
export const TRANSACTIONS_KEY = 'openidTransactions';
/** Logins in progress kept per session (several tabs); the oldest go first. */
const MAX_TRANSACTIONS = 5;
/** A login not finished within this time is refused. */
export const TRANSACTION_TTL_MS = 60 * 60 * 1000;
const TRANSACTION_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function transactionOf(id: string, endpoint: ServiceEndpoint, created: number): Transaction {
  return {
    id,
    opEndpoint: endpoint.opEndpoint,
    claimedId: endpoint.claimedId,
    localId: endpoint.localId,
    typeUris: [...endpoint.typeUris],
    usedYadis: endpoint.usedYadis,
    created,
  };
}

/** A session store may hand back anything (a serialized, older or foreign shape): only a whole transaction counts. */
function isTransaction(value: unknown, id: string): value is Transaction {
  if (value === null || typeof value !== 'object') return false;
  const entry = value as Record<string, unknown>;
  const optionalString = (field: unknown): boolean => field === undefined || typeof field === 'string';
  return (
    entry.id === id &&
    typeof entry.opEndpoint === 'string' &&
    optionalString(entry.claimedId) &&
    optionalString(entry.localId) &&
    Array.isArray(entry.typeUris) &&
    entry.typeUris.every((uri) => typeof uri === 'string') &&
    typeof entry.created === 'number'
  );
}

async function table(session: ConsumerSessionStore): Promise<Record<string, Transaction>> {
  const value = await session.get(TRANSACTIONS_KEY);
  return value !== null && typeof value === 'object' ? { ...(value as Record<string, Transaction>) } : {};
}

/** Saves a transaction; only the newest few unexpired ones are kept. */
export async function saveTransaction(session: ConsumerSessionStore, transaction: Transaction, ttlMs = TRANSACTION_TTL_MS): Promise<void> {
  const entries = Object.values(await table(session))
    .filter((entry) => transaction.created - entry.created < ttlMs)
    .sort((a, b) => a.created - b.created)
    .slice(-(MAX_TRANSACTIONS - 1));
  entries.push(transaction);
  await session.set(TRANSACTIONS_KEY, Object.fromEntries(entries.map((entry) => [entry.id, entry])));
}

/** Takes a transaction out of the session: it can be used once. */
export async function takeTransaction(session: ConsumerSessionStore, id: string | null): Promise<Transaction | undefined> {
  if (id === null || !TRANSACTION_ID.test(id)) return undefined;
  const value = await session.get(TRANSACTIONS_KEY);
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, id)) return undefined;
  const found = (value as Record<string, unknown>)[id];
  // The others stay, in a new object (the session's own is never changed in place).
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (key !== id) rest[key] = (value as Record<string, unknown>)[key];
  await session.set(TRANSACTIONS_KEY, rest);
  return isTransaction(found, id) ? found : undefined;
}

/** Whether the session holds the transaction with this id (without taking it). */
export async function hasTransaction(session: ConsumerSessionStore, id: string | null): Promise<boolean> {
  if (id === null || !TRANSACTION_ID.test(id)) return false;
  return Object.hasOwn(await table(session), id);
}
