import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';

/** Starts `server` on a loopback port and returns the port. */
export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Closes `server`, dropping kept-alive connections first. */
export function close(server: http.Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A loopback port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Reply {
  status: number;
  body: string;
}

/** A loopback request through Node's own client (`agent: false`: a new connection each time). */
export interface RequestOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  /** Sent in pieces, a few milliseconds apart, so the server reads them in later socket events. */
  body?: string | string[];
}

export function request(port: number, urlPath: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const pieces = typeof options.body === 'string' ? [options.body] : [...(options.body ?? [])];
    const sendNext = (): void => {
      const piece = pieces.shift();
      if (pieces.length === 0) {
        req.end(piece);
        return;
      }
      req.write(piece);
      setTimeout(sendNext, 15);
    };
    sendNext();
  });
}

/** `request` with headers and method as plain arguments. */
export function get(port: number, urlPath: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET'): Promise<Reply> {
  return request(port, urlPath, { headers, method });
}
