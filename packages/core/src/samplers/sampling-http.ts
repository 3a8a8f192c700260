import * as http from 'node:http';
import type { Socket } from 'node:net';
import { runWithoutTracing } from '../instrumentation/suppress-tracing';

/** An HTTP GET in flight. */
export interface PendingGet {
  /** The 200 response body; rejects on refusal, timeout, non-200 or an oversize body. */
  readonly body: Promise<string>;
  /** Lets the request hold the process open (someone awaits it); unref'd otherwise. */
  keepProcessAlive(): void;
  /** Gives up on the request; `body` rejects. */
  abort(): void;
}

export interface GetOptions {
  host: string;
  port: number;
  path: string;
  /** The whole request's deadline, connect to last byte. */
  timeoutMs: number;
  /** Larger bodies are refused (bounded memory). */
  maxBodyBytes: number;
}

/** GETs `http://host:port/path` on an unref'd socket that is never pooled and never traced. */
export function httpGet(options: GetOptions): PendingGet {
  let socket: Socket | undefined;
  let keepAlive = false;
  let request: http.ClientRequest | undefined;
  let fail: (error: Error) => void = () => {};

  const body = new Promise<string>((resolve, reject) => {
    let settled = false;
    const deadline = setTimeout(() => fail(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    deadline.unref();
    const finish = (error: Error | null, text?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error) {
        request?.destroy();
        reject(error);
      } else {
        resolve(text ?? '');
      }
    };
    fail = (error) => finish(error);

    request = runWithoutTracing(() =>
      http.get({
        host: options.host,
        port: options.port,
        path: options.path,
        agent: false, // a fresh, unpooled connection: nothing idles between polls
        headers: { accept: 'application/json', connection: 'close' },
      }),
    );
    request.on('socket', (s: Socket) => {
      socket = s;
      if (!keepAlive) s.unref();
    });
    request.on('error', (error) => finish(error));
    request.on('close', () => finish(new Error('connection closed without a response')));
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        finish(new Error(`HTTP ${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBodyBytes) finish(new Error(`response larger than ${options.maxBodyBytes} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => finish(null, Buffer.concat(chunks).toString('utf8')));
      response.on('error', (error) => finish(error));
      response.on('close', () => {
        if (!response.complete) finish(new Error('connection closed before the response ended'));
      });
    });
  });

  return {
    body,
    keepProcessAlive() {
      keepAlive = true;
      socket?.ref();
    },
    abort() {
      fail(new Error('aborted'));
    },
  };
}
