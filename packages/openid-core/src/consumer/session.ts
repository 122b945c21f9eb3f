/**
 * The consumer's session: any object with get/set/delete (sync or async).
 * Transactions are kept there between begin and complete, so an assertion
 * is accepted only in the browser that started the login.
 */
import type { ServiceEndpoint } from '../discovery/endpoint.js';

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

/** One login in progress. */
export interface Transaction {
  id: string;
  serverUrl: string;
  claimedId: string | undefined;
  localId: string | undefined;
  typeUris: string[];
  usedYadis: boolean;
  /** Milliseconds since the epoch. */
  created: number;
}

export const TRANSACTION_PARAM = 'openid_tx';
const KEY = 'openidTransactions';
const MAX_TRANSACTIONS = 5;
/** A login not finished within this time is refused. */
export const TRANSACTION_TTL_MS = 60 * 60 * 1000;

export function transactionOf(id: string, endpoint: ServiceEndpoint, created: number): Transaction {
  return {
    id,
    serverUrl: endpoint.serverUrl,
    claimedId: endpoint.claimedId,
    localId: endpoint.localId,
    typeUris: [...endpoint.typeUris],
    usedYadis: endpoint.usedYadis,
    created,
  };
}

async function table(session: ConsumerSessionStore): Promise<Record<string, Transaction>> {
  const value = await session.get(KEY);
  return value !== null && typeof value === 'object' ? { ...(value as Record<string, Transaction>) } : {};
}

/** Saves a transaction; only the newest few unexpired ones are kept. */
export async function saveTransaction(session: ConsumerSessionStore, transaction: Transaction): Promise<void> {
  const entries = Object.values(await table(session))
    .filter((entry) => transaction.created - entry.created < TRANSACTION_TTL_MS)
    .sort((a, b) => a.created - b.created)
    .slice(-(MAX_TRANSACTIONS - 1));
  entries.push(transaction);
  await session.set(KEY, Object.fromEntries(entries.map((entry) => [entry.id, entry])));
}

/** Takes a transaction out of the session: it can be used once. */
export async function takeTransaction(session: ConsumerSessionStore, id: string | null): Promise<Transaction | undefined> {
  if (id === null || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) return undefined;
  const entries = await table(session);
  const found = Object.hasOwn(entries, id) ? entries[id] : undefined;
  if (found === undefined) return undefined;
  delete entries[id];
  await session.set(KEY, entries);
  return found;
}
