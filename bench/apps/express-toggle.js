'use strict';
/**
 * Express 4 hello world traced by jt (set up here, not with -r), with one switch flipped in
 * this same process every window (`tools/toggle.js`): both states run in one process, in
 * adjacent windows, so neither process luck nor the machine's drift lands on one side.
 * TOGGLE_SWITCH picks the switch; each window prints `TOGGLE {"on", "n", "us"}` (CPU µs per
 * request of this process); TOGGLE_WINDOWS windows after TOGGLE_WARMUP_MS, then `TOGGLE_DONE`.
 */
const path = require('node:path');
const core = require('../../packages/core');
const { expressInstrumentation } = require('../../packages/express');

const SWITCH = process.env.TOGGLE_SWITCH ?? 'sampling';
const WINDOW_MS = Number(process.env.TOGGLE_WINDOW_MS ?? 1500);
const SETTLE_MS = 200;
const WARMUP_MS = Number(process.env.TOGGLE_WARMUP_MS ?? 3000);
const WINDOWS = Number(process.env.TOGGLE_WINDOWS ?? 40);

// the states each switch flips between (`on` is jt as shipped)
let sampled = true;
const yes = new core.ConstSampler(true);
const no = new core.ConstSampler(false);
const sampler = { sample: (name, traceId) => (sampled ? yes : no).sample(name, traceId), close() {} };
const sender = new core.UDPSender({ host: '127.0.0.1', port: Number(process.env.TOGGLE_SINK_PORT) });
const reporter = new core.RemoteReporter(sender);
core.setGlobalTracer(new core.Tracer('bench-toggle', reporter, sampler));
const expressHook = expressInstrumentation();
core.registerInstrumentations([core.httpServerInstrumentation(), expressHook]);

const report = reporter.report.bind(reporter);
let exporting = true;
reporter.report = (span) => {
  if (exporting) report(span);
};
const send = sender.send;
const skipSend = (spans) => Promise.resolve({ sent: spans.length, failed: 0 });
const emit = sender.emit;
const skipEmit = () => Promise.resolve(0);

const SWITCHES = {
  /** the express hook's tracking (its wrappers stay, as when disabled) */
  express: (on) => (on ? expressHook.enable() : expressHook.disable()),
  /** every trace sampled vs none */
  sampling: (on) => (sampled = on),
  /** finished spans queued and exported vs dropped at the reporter */
  export: (on) => (exporting = on),
  /** batches encoded and sent vs handed back as sent (spans still queued) */
  encode: (on) => (sender.send = on ? send : skipSend),
  /** datagrams built and sent vs not (spans still encoded) */
  datagram: (on) => (sender.emit = on ? emit : skipEmit),
};
const flip = SWITCHES[SWITCH];
if (flip === undefined) throw new Error(`TOGGLE_SWITCH must be one of ${Object.keys(SWITCHES).join(', ')}`);

const express = require(require.resolve('express', { paths: [path.join(__dirname, '..')] }));
const app = express();
let served = 0;
app.get('/', (req, res) => {
  served++;
  res.send('hello world');
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`BENCH_READY ${JSON.stringify({ port: server.address().port, switch: SWITCH })}\n`);
  let on = true;
  let done = 0;
  flip(on);
  const measure = () => {
    const cpu = process.cpuUsage();
    const count = served;
    setTimeout(() => {
      const used = process.cpuUsage(cpu);
      const n = served - count;
      process.stdout.write(`TOGGLE ${JSON.stringify({ on, n, us: (used.user + used.system) / Math.max(n, 1) })}\n`);
      if (++done >= WINDOWS) {
        process.stdout.write('TOGGLE_DONE\n');
        return;
      }
      on = !on;
      flip(on);
      setTimeout(measure, SETTLE_MS);
    }, WINDOW_MS);
  };
  setTimeout(measure, WARMUP_MS);
});
