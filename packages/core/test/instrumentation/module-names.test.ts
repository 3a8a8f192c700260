import assert from 'node:assert/strict';
import * as path from 'node:path';
import { hookKey, isPackageLoaded, keyOfLoadedFile, packageOfKey } from '../../src/instrumentation/module-names';

describe('module names', () => {
  it('hookKey: a package, or a file inside it without .js and /index', () => {
    const hook = (name: string, file?: string) => ({ name, versions: '*', file, patch() {} });
    assert.equal(hookKey(hook('express')), 'express');
    assert.equal(hookKey(hook('express', 'lib/router/layer.js')), 'express/lib/router/layer');
    assert.equal(hookKey(hook('router', './lib/index.js')), 'router/lib');
    assert.equal(hookKey(hook('pg', 'lib\\client.js')), 'pg/lib/client');
  });

  it('keyOfLoadedFile matches hookKey for the names require-in-the-middle reports with internals', () => {
    assert.equal(keyOfLoadedFile(['express', 'lib', 'router', 'layer.js'].join(path.sep)), 'express/lib/router/layer');
    assert.equal(keyOfLoadedFile(['router', 'lib', 'index.js'].join(path.sep)), 'router/lib');
    assert.equal(keyOfLoadedFile('express'), 'express');
    // a root index.js reported as a file is not the main module
    assert.equal(keyOfLoadedFile(['foo', 'index.js'].join(path.sep)), 'foo/index');
    assert.equal(keyOfLoadedFile(['x.js', 'index.js'].join(path.sep)), 'x.js/index');
    // a package whose name ends in .js keeps it
    assert.equal(keyOfLoadedFile('highlight.js'), 'highlight.js');
    assert.equal(keyOfLoadedFile(['@koa', 'router', 'lib', 'layer.js'].join(path.sep)), '@koa/router/lib/layer');
  });

  it('packageOfKey: the first segment, two for a scoped package', () => {
    assert.equal(packageOfKey('express/lib/router/layer'), 'express');
    assert.equal(packageOfKey('@koa/router/lib/layer'), '@koa/router');
    assert.equal(packageOfKey('@koa/router'), '@koa/router');
    assert.equal(packageOfKey('pg'), 'pg');
  });

  it('isPackageLoaded: by a node_modules folder of that exact name', () => {
    const files = [path.join('/app', 'node_modules', 'express', 'index.js'), path.join('/app', 'node_modules', '@koa', 'router', 'lib', 'x.js')];
    assert.equal(isPackageLoaded('express', files), true);
    assert.equal(isPackageLoaded('@koa/router', files), true);
    assert.equal(isPackageLoaded('expres', files), false);
    assert.equal(isPackageLoaded('koa', files), false);
  });
});
