'use strict';
/**
 * In-process A/B: one switch of jt flipped every window inside one express 4 app
 * (`apps/express-toggle.js`) under constant load, so both states share the process (no process
 * luck) and adjacent windows (less drift). Prints the median CPU µs per request in each state
 * and the median of the per-pair differences (on − off) with its quartiles.
 *
 *   node bench/tools/toggle.js --switch=sampling|export|encode|datagram|express [--windows=40]
 *
 * `on` is jt as shipped; `off` is: unsampled (sampling), spans dropped at the reporter (export),
 * batches not encoded (encode), datagrams not sent (datagram), express tracking disabled
 * (express; its wrappers stay). Writes nothing.
 */
const dgram = require('node:dgram');
const path = require('node:path');
const { spawnReady, pinnedNode, stop, track } = require('../lib/proc');
const { median, quantile } = require('../lib/stats');
const { spawn } = require('node:child_process');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const windows = Number(arg('windows', 40));
const WINDOW_MS = 1500;


async function main() {
  const sink = dgram.createSocket('udp4');
  sink.on('message', () => {});
  await new Promise((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const app = await spawnReady('app', [path.join(__dirname, '../apps/express-toggle.js')], {
    env: { TOGGLE_SWITCH: arg('switch', 'sampling'), TOGGLE_WINDOWS: String(windows), TOGGLE_SINK_PORT: String(sink.address().port) },
  });
  const rows = [];
  const finished = new Promise((resolve) => {
    let buffered = '';
    app.child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('TOGGLE ')) rows.push(JSON.parse(line.slice(7)));
        if (line === 'TOGGLE_DONE') resolve();
      }
    });
    app.child.once('exit', resolve);
  });
  const durationS = Math.ceil(3 + (windows * (WINDOW_MS + 200)) / 1000 + 5);
  const [cmd, args] = pinnedNode('load', [path.join(__dirname, '../lib/load.js'), JSON.stringify({ url: `http://127.0.0.1:${app.info.port}/`, connections: 20, warmupS: 0, durationS })]);
  const load = track(spawn(cmd, args, { stdio: 'ignore' }));
  await finished;
  load.kill('SIGKILL');
  await stop(app.child);
  sink.close();
  const on = rows.filter((r) => r.on).map((r) => r.us);
  const off = rows.filter((r) => !r.on).map((r) => r.us);
  const pairs = [];
  for (let i = 0; i + 1 < rows.length; i += 2) pairs.push(rows[i].us - rows[i + 1].us);
  console.log(
    `${app.info.switch}: on ${median(on).toFixed(1)} µs/req, off ${median(off).toFixed(1)}; on − off per pair: median ${median(pairs).toFixed(2)} µs ` +
      `(quartiles ${quantile(pairs, 0.25).toFixed(2)} .. ${quantile(pairs, 0.75).toFixed(2)}, ${pairs.length} pairs)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
