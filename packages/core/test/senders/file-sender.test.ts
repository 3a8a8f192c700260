import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileSender, type JaegerJsonTrace } from '../../src/senders/file-sender';
import type { BatchMeta } from '../../src/senders/sender';
import type { ProcessData, SpanData } from '../../src/span-data';

const meta: BatchMeta = { seqNo: 0, stats: { fullQueueDroppedSpans: 0, tooLargeDroppedSpans: 0, failedToEmitSpans: 0 } };
const processData: ProcessData = {
  serviceName: 'cart',
  tags: [
    { key: 'hostname', value: 'h1' },
    { key: 'ip', value: '10.1.2.3' },
    { key: 'jaeger.version', value: 'Node-jt-0.1.0' },
  ],
};

const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = '1111111111111111aaaaaaaaaaaaaaaa';

function makeSpan(traceId: string, n: number, overrides: Partial<SpanData> = {}): SpanData {
  return {
    traceId,
    spanId: n.toString(16).padStart(16, '0'),
    parentId: n === 1 ? null : '0000000000000001',
    flags: 1,
    operationName: `op-${n}`,
    startTime: 1_700_000_000_000_000 + n,
    duration: 10 * n,
    tags: [],
    logs: [],
    references: [],
    ...overrides,
  };
}

interface FileShape {
  data: JaegerJsonTrace[];
}

describe('senders/FileSender', () => {
  let dir: string;
  let file: string;
  const senders: FileSender[] = [];
  const newSender = (options: Partial<ConstructorParameters<typeof FileSender>[0]> = {}): FileSender => {
    const sender = new FileSender({ path: file, ...options });
    sender.setProcess(processData);
    senders.push(sender);
    return sender;
  };
  const readFile = (): FileShape => JSON.parse(fs.readFileSync(file, 'utf8')) as FileShape;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jt-file-sender-'));
    file = path.join(dir, 'traces.json');
  });

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the Jaeger /api/traces JSON shape that Jaeger UI uploads', async () => {
    const sender = newSender();
    const err = new Error('db down');
    const root = makeSpan(TRACE_A, 1, {
      tags: [
        { key: 'span.kind', value: 'server' },
        { key: 'http.status_code', value: 503 },
        { key: 'ratio', value: 0.5 },
        { key: 'error', value: true },
        { key: 'raw', value: Buffer.from('hi') },
        { key: 'big', value: 2n ** 60n },
        { key: 'obj', value: { a: 1 } },
      ],
      logs: [{ timestamp: 1_700_000_000_000_005, fields: [{ key: 'event', value: 'error' }, { key: 'error.object', value: err }] }],
    });
    const child = makeSpan(TRACE_A, 2, { references: [{ type: 'follows_from', traceId: TRACE_A, spanId: '00000000000000ff' }] });
    assert.deepEqual(await sender.send([root, child], meta), { sent: 2, failed: 0 });

    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(parsed), ['data', 'total', 'limit', 'offset', 'errors']);
    assert.equal(parsed.data.length, 1);
    const trace = parsed.data[0] as JaegerJsonTrace;
    assert.deepEqual(Object.keys(trace).sort(), ['processes', 'spans', 'traceID', 'warnings']);
    assert.equal(trace.traceID, TRACE_A);
    assert.equal(trace.warnings, null);
    assert.deepEqual(trace.processes, {
      p1: {
        serviceName: 'cart',
        tags: [
          { key: 'hostname', type: 'string', value: 'h1' },
          { key: 'ip', type: 'string', value: '10.1.2.3' },
          { key: 'jaeger.version', type: 'string', value: 'Node-jt-0.1.0' },
        ],
      },
    });
    const [first, second] = trace.spans;
    assert.deepEqual(Object.keys(first).sort(), ['duration', 'flags', 'logs', 'operationName', 'processID', 'references', 'spanID', 'startTime', 'tags', 'traceID', 'warnings']);
    assert.equal(first.traceID, TRACE_A);
    assert.equal(first.spanID, '0000000000000001');
    assert.equal(first.operationName, 'op-1');
    assert.deepEqual(first.references, []);
    assert.equal(first.startTime, 1_700_000_000_000_001);
    assert.equal(first.duration, 10);
    assert.equal(first.processID, 'p1');
    assert.equal(first.flags, 1);
    assert.deepEqual(first.tags, [
      { key: 'span.kind', type: 'string', value: 'server' },
      { key: 'http.status_code', type: 'int64', value: 503 },
      { key: 'ratio', type: 'float64', value: 0.5 },
      { key: 'error', type: 'bool', value: true },
      { key: 'raw', type: 'binary', value: Buffer.from('hi').toString('base64') },
      { key: 'big', type: 'string', value: (2n ** 60n).toString() },
      { key: 'obj', type: 'string', value: '{"a":1}' },
    ]);
    assert.deepEqual(first.logs, [
      {
        timestamp: 1_700_000_000_000_005,
        fields: [
          { key: 'event', type: 'string', value: 'error' },
          { key: 'error.object', type: 'string', value: 'db down' },
        ],
      },
    ]);
    assert.deepEqual(second.references, [
      { refType: 'CHILD_OF', traceID: TRACE_A, spanID: '0000000000000001' },
      { refType: 'FOLLOWS_FROM', traceID: TRACE_A, spanID: '00000000000000ff' },
    ]);
  });

  it('groups spans of one trace across sends and keeps the file valid after each', async () => {
    const sender = newSender();
    await sender.send([makeSpan(TRACE_A, 2)], meta);
    assert.deepEqual(readFile().data.map((t) => t.spans.length), [1]);
    await sender.send([makeSpan(TRACE_B, 1), makeSpan(TRACE_A, 3)], meta);
    await sender.send([makeSpan(TRACE_A, 1)], meta);
    const { data } = readFile();
    assert.deepEqual(
      data.map((t) => [t.traceID, t.spans.map((s) => s.operationName)]),
      [
        [TRACE_A, ['op-2', 'op-3', 'op-1']],
        [TRACE_B, ['op-1']],
      ],
    );
    assert.deepEqual(sender.stats, { traces: 2, spans: 4, droppedSpans: 0, writeFailures: 0 });
  });

  it('prints a 128-bit id with a zero high half as Jaeger does, grouping it with the 64-bit form', async () => {
    const sender = newSender();
    await sender.send([makeSpan('0000000000000000b7ad6b7169203331', 1), makeSpan('b7ad6b7169203331', 2)], meta);
    const { data } = readFile();
    assert.equal(data.length, 1);
    assert.equal(data[0].traceID, 'b7ad6b7169203331');
    assert.deepEqual(data[0].spans.map((s) => s.traceID), ['b7ad6b7169203331', 'b7ad6b7169203331']);
  });

  it('respects maxTraces and maxSpans, counting what it drops', async () => {
    const errors: string[] = [];
    const sender = newSender({ maxTraces: 2, maxSpans: 4, logger: { info() {}, error: (m) => errors.push(m) } });
    const traceC = 'cccccccccccccccccccccccccccccccc';
    const first = await sender.send([makeSpan(TRACE_A, 1), makeSpan(TRACE_B, 1), makeSpan(traceC, 1)], meta);
    assert.equal(first.sent, 2);
    assert.equal(first.failed, 1);
    assert.match(String(first.error?.message), /dropped/);
    const second = await sender.send([makeSpan(TRACE_A, 2), makeSpan(TRACE_B, 2), makeSpan(TRACE_A, 3)], meta);
    assert.deepEqual([second.sent, second.failed], [2, 1]);
    const third = await sender.send([makeSpan(traceC, 2)], meta);
    assert.deepEqual([third.sent, third.failed], [0, 1]);
    assert.deepEqual(readFile().data.map((t) => t.spans.length), [2, 2]);
    assert.deepEqual(sender.stats, { traces: 2, spans: 4, droppedSpans: 3, writeFailures: 0 });
    assert.equal(errors.length, 1, 'drops are logged once');
  });

  it('counts a failed write (missing directory) instead of throwing, and leaves no temp file', async () => {
    const missing = path.join(dir, 'no-such-dir', 'traces.json');
    const errors: string[] = [];
    const sender = new FileSender({ path: missing, logger: { info() {}, error: (m) => errors.push(m) } });
    senders.push(sender);
    const result = await sender.send([makeSpan(TRACE_A, 1), makeSpan(TRACE_A, 2)], meta);
    assert.equal(result.sent, 0);
    assert.equal(result.failed, 2);
    assert.equal((result.error as NodeJS.ErrnoException).code, 'ENOENT');
    await sender.send([makeSpan(TRACE_A, 3)], meta);
    assert.equal(sender.stats.writeFailures, 2);
    assert.equal(errors.length, 1);

    // Once the directory exists, the kept spans are all written.
    fs.mkdirSync(path.dirname(missing));
    assert.deepEqual(await sender.send([makeSpan(TRACE_A, 4)], meta), { sent: 1, failed: 0 });
    const parsed = JSON.parse(fs.readFileSync(missing, 'utf8')) as FileShape;
    assert.deepEqual(parsed.data[0].spans.map((s) => s.operationName), ['op-1', 'op-2', 'op-3', 'op-4']);
    assert.deepEqual(fs.readdirSync(path.dirname(missing)), ['traces.json']);
  });

  it('counts a failed rename (path is a directory) and recovers', async () => {
    fs.mkdirSync(file);
    const sender = newSender();
    const result = await sender.send([makeSpan(TRACE_A, 1)], meta);
    assert.equal(result.failed, 1);
    assert.equal(sender.stats.writeFailures, 1);
    assert.deepEqual(fs.readdirSync(dir), ['traces.json'], 'the temp file is removed');
    fs.rmdirSync(file);
    assert.deepEqual(await sender.send([makeSpan(TRACE_A, 2)], meta), { sent: 1, failed: 0 });
    assert.equal(readFile().data[0].spans.length, 2);
  });

  it('replaces the file atomically: a reader during many rewrites never sees partial JSON', async () => {
    const sender = newSender();
    const tags = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(200) }));
    await sender.send([makeSpan(TRACE_A, 1, { tags })], meta);
    let reads = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const parsed = JSON.parse(await fs.promises.readFile(file, 'utf8')) as FileShape;
        assert.ok(parsed.data.length >= 1);
        reads++;
      }
    })();
    // Sequential sends: each one rewrites the whole (growing) file while the reader reads.
    for (let i = 0; i < 40; i++) {
      const result = await sender.send([makeSpan(`${(i + 2).toString(16).padStart(32, '0')}`, 1, { tags })], meta);
      assert.deepEqual(result, { sent: 1, failed: 0 });
    }
    reading = false;
    await reader;
    assert.equal(readFile().data.length, 41);
    assert.ok(reads > 10, `reader ran ${reads} times`);
    assert.deepEqual(fs.readdirSync(dir), ['traces.json']);
  });

  it('coalesces concurrent sends into fewer writes, each send resolving once its spans are on disk', async () => {
    const sender = newSender();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sender.send([makeSpan(TRACE_B, i + 1)], meta)));
    assert.ok(results.every((r) => r.sent === 1 && r.failed === 0));
    assert.equal(readFile().data[0].spans.length, 20);
  });

  it('gives spans sent after a process change their own process id', async () => {
    const sender = newSender();
    await sender.send([makeSpan(TRACE_A, 1)], meta);
    sender.setProcess({ serviceName: 'cart-v2', tags: [] });
    await sender.send([makeSpan(TRACE_A, 2)], meta);
    const trace = readFile().data[0];
    assert.deepEqual(trace.spans.map((s) => s.processID), ['p1', 'p2']);
    assert.equal(trace.processes.p2.serviceName, 'cart-v2');
  });

  it('close() waits for the write, is idempotent, and later sends fail softly', async () => {
    const sender = newSender();
    const pending = sender.send([makeSpan(TRACE_A, 1)], meta);
    const closing = sender.close();
    assert.equal(sender.close(), closing);
    await closing;
    assert.deepEqual(await pending, { sent: 1, failed: 0 });
    assert.equal(readFile().data.length, 1);
    const after = await sender.send([makeSpan(TRACE_A, 2)], meta);
    assert.deepEqual([after.sent, after.failed], [0, 1]);
  });

  it('requires a path', () => {
    assert.throws(() => new FileSender({} as never), /path/);
  });
});
