#!/usr/bin/env node
'use strict';
// Runs every package's mocha tests in one process and ends with a plain
// "N passed, N failed" line. Usage: node scripts/test.js [package ... | examples] [--grep text]
const fs = require('node:fs');
const path = require('node:path');
require('tsx/cjs');
const Mocha = require('mocha');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args.splice(grepAt, 2)[1] : undefined;
const packagesDir = path.join(root, 'packages');
const wanted = args.length > 0 ? args : fs.readdirSync(packagesDir).sort();

const testDirs = wanted.map((name) => path.join(packagesDir, name, 'test'));
// example smoke tests run with the full suite (or with `node scripts/test.js examples`)
if (args.length === 0 || args.includes('examples')) testDirs.push(path.join(root, 'examples', 'test'));

const files = [];
for (const testDir of testDirs) {
  if (!fs.existsSync(testDir)) continue;
  for (const rel of fs.readdirSync(testDir, { recursive: true }).map(String).sort()) {
    if (rel.endsWith('.test.ts') && !rel.split(path.sep).includes('fixtures') && !rel.split(path.sep).includes('node_modules')) {
      files.push(path.join(testDir, rel));
    }
  }
}

const mocha = new Mocha({ timeout: 20000, reporter: 'spec', grep });
for (const file of files) mocha.addFile(file);
const runner = mocha.run((failures) => {
  const stats = runner.stats ?? {};
  const passed = stats.passes ?? 0;
  const failed = stats.failures ?? failures;
  const skipped = stats.pending ?? 0;
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (passed === 0 && failed === 0) console.log('no tests ran');
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
});
