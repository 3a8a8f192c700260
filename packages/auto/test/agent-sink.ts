import dgram from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { decodeEmitBatch, traceIdHex, hex64, tagMap, type DecodedSpan } from '../../core/test/thrift/thrift-decoder';

/** A span as received by the fake agent, with hex ids and tags as a plain object. */
export interface ReceivedSpan {
  service: string;
  operationName: string;
  traceId: string;
  spanId: string;
  parentId: string;
  flags: number;
  tags: Record<string, unknown>;
}

function toReceived(service: string, span: DecodedSpan): ReceivedSpan {
  const tags: Record<string, unknown> = {};
  for (const [key, tag] of tagMap(span.tags)) tags[key] = tag.vStr ?? tag.vLong ?? tag.vDouble ?? tag.vBool ?? tag.vBinary;
  return {
    service,
    operationName: span.operationName,
    traceId: traceIdHex(span).replace(/^0{16}/, ''),
    spanId: hex64(span.spanId),
    parentId: hex64(span.parentSpanId),
    flags: span.flags,
    tags,
  };
}

/** A UDP socket standing in for the Jaeger agent; datagrams are decoded with Apache Thrift. */
export class AgentSink {
  readonly spans: ReceivedSpan[] = [];
  private readonly socket = dgram.createSocket('udp4');

  async start(): Promise<number> {
    this.socket.on('message', (msg: Buffer) => {
      const { batch } = decodeEmitBatch('compact', msg);
      for (const span of batch.spans) this.spans.push(toReceived(batch.process.serviceName, span));
    });
    this.socket.bind(0, '127.0.0.1');
    await once(this.socket, 'listening');
    return (this.socket.address() as AddressInfo).port;
  }

  /** Resolves once `predicate` holds for the spans received, or rejects after `timeoutMs`. */
  async waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs = 8000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.spans)) {
      if (Date.now() > deadline) throw new Error(`spans not received in time; got ${JSON.stringify(this.spans.map((s) => s.operationName))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.spans;
  }

  close(): void {
    this.socket.close();
  }
}
