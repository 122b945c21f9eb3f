/**
 * Real local HTTP servers for tests: fixtures for discovery, stand-in
 * providers. They listen on 127.0.0.1 on a free port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Requests received so far, by path (with query). */
  requests: string[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

/** Starts a server; every socket is destroyed on close, so hanging handlers don't block the test. */
export async function startServer(handler: Handler, host = '127.0.0.1'): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString('utf8'))).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A handler serving fixed responses by path (without query). */
export function routes(table: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void>): Handler {
  return (req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = table[path];
    if (route === undefined) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    route(req, res, body);
  };
}

/** Streams `chunks` chunks of 64 KiB, respecting back-pressure: a large body for size-limit tests. */
export function sendLargeBody(res: ServerResponse, chunks: number, contentType = 'text/plain'): void {
  res.writeHead(200, { 'content-type': contentType });
  const chunk = Buffer.alloc(1 << 16, 32);
  let sent = 0;
  const pump = (): void => {
    while (sent < chunks) {
      sent += 1;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}
