/**
 * Local stand-ins for Jaeger, bound to port 0 on loopback: a UDP "agent" whose datagrams are
 * decoded by Apache Thrift's own `thrift` package, and an HTTP "collector" that records
 * every request. Nothing here comes from the code under test.
 */
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeEmitBatch, type DecodedBatch, type Protocol } from '../../../packages/core/test/thrift/thrift-decoder';

export interface UdpAgentSink {
  port: number;
  /** Every datagram decoded as `Agent.emitBatch`, in arrival order. */
  batches(): DecodedBatch[];
  close(): Promise<void>;
}

export async function startUdpAgent(protocol: Protocol = 'compact'): Promise<UdpAgentSink> {
  const socket = dgram.createSocket('udp4');
  const datagrams: Buffer[] = [];
  socket.on('message', (message) => datagrams.push(message));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    batches: () =>
      datagrams.map((d) => {
        const message = decodeEmitBatch(protocol, d);
        if (message.name !== 'emitBatch') throw new Error(`unexpected thrift message ${message.name}`);
        return message.batch;
      }),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpSink {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Answers every request with `status` and an empty body (a valid empty OTLP response too). */
export async function startHttpSink(status = 200): Promise<HttpSink> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `condition` every 20 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
