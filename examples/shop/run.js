// The main job: starts the inventory (Koa) and shop (Express + pg + ioredis) services under
// `node -r @jt/auto`, sends a few requests, stops them (spans are flushed on SIGTERM), and
// shows the traces without a Jaeger server: a tree in the terminal and one Jaeger-UI JSON file
// (out/traces.json) to upload at http://localhost:16686/search ("JSON File"). With a Jaeger
// all-in-one running on this machine, the same spans also reach it over UDP (port 6831).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setupDatabase } = require('./setup-db');
const { mergeTraceFiles, printTrees } = require('./trace-tree');

const OUT = path.join(__dirname, 'out');

function startService(name, script, env) {
  const child = spawn(process.execPath, ['-r', '@jt/auto', path.join(__dirname, script)], {
    cwd: __dirname,
    env: {
      ...process.env,
      JAEGER_SERVICE_NAME: name,
      JAEGER_REPORTER_FILE_PATH: path.join(OUT, `${name}.json`),
      JAEGER_REPORTER_FLUSH_INTERVAL: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${name} exited early (${code}): ${out}`)));
  });
}

async function stop({ child }) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  await setupDatabase();
  const inventory = await startService('inventory', 'inventory.js', {});
  const shop = await startService('shop', 'shop.js', { INVENTORY_URL: `http://127.0.0.1:${inventory.port}` });
  try {
    for (const id of [1, 1, 2, 42]) {
      const res = await fetch(`http://127.0.0.1:${shop.port}/api/products/${id}`);
      console.log(`GET /api/products/${id} -> ${res.status} ${await res.text()}`);
    }
  } finally {
    await stop(shop);
    await stop(inventory);
  }
  const merged = mergeTraceFiles([path.join(OUT, 'shop.json'), path.join(OUT, 'inventory.json')]);
  fs.writeFileSync(path.join(OUT, 'traces.json'), JSON.stringify(merged, null, 2));
  console.log('');
  printTrees(merged);
  console.log(`\nJaeger-UI JSON: ${path.relative(process.cwd(), path.join(OUT, 'traces.json'))}`);
  if (merged.data.length === 0) {
    console.error('no traces were recorded');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
