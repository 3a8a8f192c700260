import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

describe('Tracer.close in a short script', () => {
  it('keeps the process alive through a sender retry, so the spans arrive and the code after close() runs', async () => {
    let requests = 0;
    let received = 0;
    const collector = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        // the first attempt fails with a retryable status; the retry must still happen
        if (requests === 1) res.writeHead(503).end();
        else {
          received++;
          res.writeHead(200).end();
        }
      });
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    const { port } = collector.address() as AddressInfo;
    const script = `
      const { initTracer } = require('./packages/core/src/index');
      const tracer = initTracer({
        serviceName: 'short-script',
        sampler: { type: 'const', param: 1 },
        reporter: { protocol: 'otlp', otlpEndpoint: 'http://127.0.0.1:${port}/v1/traces' },
      });
      tracer.startSpan('only-span').finish();
      tracer.close().then(() => console.log('after close'));
    `;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, timeout: 20_000 }, (err, out) =>
        err ? reject(err) : resolve(out),
      ),
    );
    collector.close();
    assert.match(stdout, /after close/);
    assert.equal(requests, 2);
    assert.equal(received, 1);
  });
});
