'use strict';
/**
 * The frame of the http-suite tools (`tools/ab.js`, `tools/replicas.js`): sink and load
 * generator up, one framework through the suite's harness with the tools' window settings
 * (2 s windows, 2 s warm-up, 20 connections), then `print(summary)` for that framework. Exits
 * the process when done (the sink and load generator are children); exit code 1 on failure.
 */
const fs = require('node:fs');
const { runHttpSuite } = require('../suites/http');
const { startSink, startLoadGenerator } = require('./sink-client');

async function runHttpTool(tool, { framework, modes, cycles, generations }, print) {
  const sink = await startSink();
  const load = await startLoadGenerator();
  try {
    const r = await runHttpSuite(sink, load, {
      frameworks: [framework],
      modesFor: () => modes,
      cycles,
      generations,
      windowS: 2,
      warmupS: 2,
      connections: 20,
      log: (s) => process.stderr.write(`${s}\n`),
    });
    const summary = r.summary[framework];
    if (!summary) throw new Error(JSON.stringify(r.frameworks[0]?.error ?? r.skipped));
    print(summary);
  } catch (err) {
    fs.writeSync(2, `${tool}: ${err.stack ?? err}\n`);
    process.exitCode = 1;
  } finally {
    process.exit();
  }
}

/** A line to stdout, written synchronously: `process.exit` would cut an async pipe write short. */
function printLine(text) {
  fs.writeSync(1, `${text}\n`);
}

module.exports = { runHttpTool, printLine };
