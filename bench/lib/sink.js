'use strict';
/**
 * The stand-in for a Jaeger agent / collector / OTLP receiver: counts spans, messages and
 * bytes per listener. Run as a child process (`node lib/sink.js`, IPC channel) so its work
 * lands on the load generator's core, not on the process being measured.
 *
 * IPC requests ({id, cmd, ...}) answered with {id, ...}:
 *   open  {kind: 'udp-compact'|'udp-binary'|'http', label} -> {port}
 *   stats {}                                                -> {stats: {label: counters}}
 *   reset {label}                                           -> {}
 *   close {label}                                           -> {}
 * `http` accepts POST /api/traces (Jaeger collector: binary thrift Batch) and
 * POST /v1/traces (OTLP, protobuf or JSON by Content-Type).
 */
const dgram = require('node:dgram');
const http = require('node:http');
const count = require('./wire-count');

const listeners = new Map();

function newCounters(kind) {
  return { kind, spans: 0, messages: 0, bytes: 0, errors: 0, lastError: undefined };
}

function openUdp(label, kind) {
  const counters = newCounters(kind);
  const countSpans = kind === 'udp-compact' ? count.countCompactEmitBatch : count.countBinaryEmitBatch;
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 16 * 1024 * 1024 });
  socket.on('message', (msg) => {
    counters.messages++;
    counters.bytes += msg.length;
    try {
      counters.spans += countSpans(msg);
    } catch (err) {
      counters.errors++;
      counters.lastError = String(err.message);
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      listeners.set(label, { counters, close: () => socket.close() });
      resolve(socket.address().port);
    });
  });
}

function openHttp(label) {
  const counters = newCounters('http');
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      counters.messages++;
      counters.bytes += body.length;
      const type = String(req.headers['content-type'] ?? '');
      try {
        if (req.url.startsWith('/api/traces')) {
          counters.spans += count.countBinaryBatch(body);
          res.writeHead(202).end();
        } else if (type.includes('json')) {
          counters.spans += count.countOtlpJson(body);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          counters.spans += count.countOtlpProtobuf(body);
          res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        }
      } catch (err) {
        counters.errors++;
        counters.lastError = String(err.message);
        res.writeHead(400).end();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      listeners.set(label, {
        counters,
        close: () => {
          server.close();
          server.closeAllConnections?.();
        },
      });
      resolve(server.address().port);
    });
  });
}

async function handle(msg) {
  switch (msg.cmd) {
    case 'open': {
      listeners.get(msg.label)?.close();
      const port = msg.kind === 'http' ? await openHttp(msg.label) : await openUdp(msg.label, msg.kind);
      return { port };
    }
    case 'stats': {
      const stats = {};
      for (const [label, l] of listeners) stats[label] = { ...l.counters };
      return { stats };
    }
    case 'reset': {
      const l = listeners.get(msg.label);
      if (l) Object.assign(l.counters, newCounters(l.counters.kind));
      return {};
    }
    case 'close':
      listeners.get(msg.label)?.close();
      listeners.delete(msg.label);
      return {};
    default:
      throw new Error(`unknown command ${msg.cmd}`);
  }
}

if (require.main === module) {
  if (!process.send) throw new Error('sink.js runs as a child process with an IPC channel');
  process.on('message', (msg) => {
    handle(msg).then(
      (reply) => process.send({ id: msg.id, ...reply }),
      (err) => process.send({ id: msg.id, error: String(err?.stack ?? err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}

module.exports = { handle };
