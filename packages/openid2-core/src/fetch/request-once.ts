/**
 * One HTTP exchange, without following redirects: the body is streamed and
 * the request aborted as soon as it grows past the size cap, so a huge body
 * is never buffered.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Got, Headers } from 'got';
import { FetchError } from '../errors.js';
import type { ConnectLookup } from './guarded-lookup.js';
import { mapGotError } from './fetch-errors.js';

/** What one hop needs to know. */
export interface HopSettings {
  client: Got;
  /** The fetcher's own connection pools: a kept-alive socket is reused only under the policy that checked its address. */
  agent: { http: HttpAgent; https: HttpsAgent };
  lookup: ConnectLookup;
  maxBytes: number;
  timeoutMs: number;
}

/** One request of a hop. */
export interface HopRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string | undefined;
}

/** One response of a hop; the body of a redirect is not read. */
export interface HopResponse {
  status: number;
  headers: Record<string, string | undefined>;
  bytes: Buffer;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Whether a status is a redirect the fetcher follows. */
export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

function flattenHeaders(headers: Headers): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function tooLarge(url: string, maxBytes: number): FetchError {
  return new FetchError(`The response from ${url} is larger than ${maxBytes} bytes`, url, 'too_large');
}

/** The error of a fetch its caller aborted (the reason's message, when it is an error). */
export function abortedError(url: string, signal: AbortSignal): FetchError {
  const why = signal.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new FetchError(`Fetching ${url} was aborted${why}`, url, 'aborted', { cause: signal.reason });
}

function openStream(settings: HopSettings, target: URL, request: HopRequest, timeoutMs: number, signal: AbortSignal | undefined): ReturnType<Got['stream']> {
  return settings.client.stream(target, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(signal === undefined ? {} : { signal }),
    followRedirect: false,
    throwHttpErrors: false,
    retry: { limit: 0 },
    timeout: { request: timeoutMs },
    dnsLookup: settings.lookup as never,
    agent: settings.agent,
    https: { rejectUnauthorized: true },
    decompress: true,
  });
}

/**
 * Sends one request within `timeoutMs` and reads at most `maxBytes` of the
 * (decompressed) body; the caller's `signal` aborts it.
 * @throws FetchError, never an error of the HTTP client
 */
export async function requestOnce(settings: HopSettings, target: URL, request: HopRequest, timeoutMs: number, signal?: AbortSignal): Promise<HopResponse> {
  const url = target.href;
  const mapError = (error: unknown): FetchError => (signal?.aborted === true ? abortedError(url, signal) : mapGotError(error, url, settings.timeoutMs));
  let stream: ReturnType<Got['stream']>;
  try {
    stream = openStream(settings, target, request, timeoutMs, signal);
  } catch (error) {
    throw mapError(error);
  }
  return new Promise<HopResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let head: { status: number; headers: Record<string, string | undefined> } | undefined;
    const fail = (error: FetchError): void => {
      stream.destroy();
      reject(error);
    };
    stream.on('response', (response: { statusCode: number; headers: Headers }) => {
      head = { status: response.statusCode, headers: flattenHeaders(response.headers) };
      if (isRedirect(head.status) && head.headers.location !== undefined) {
        stream.destroy();
        resolve({ ...head, bytes: Buffer.alloc(0) });
        return;
      }
      const declared = Number(head.headers['content-length']);
      if (Number.isFinite(declared) && declared > settings.maxBytes) fail(tooLarge(url, settings.maxBytes));
    });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > settings.maxBytes) fail(tooLarge(url, settings.maxBytes));
      else chunks.push(chunk);
    });
    stream.on('error', (error: unknown) => fail(mapError(error)));
    stream.on('end', () => {
      if (head === undefined) reject(new FetchError(`${url} sent no response`, url, 'connection'));
      else resolve({ ...head, bytes: Buffer.concat(chunks) });
    });
  });
}
