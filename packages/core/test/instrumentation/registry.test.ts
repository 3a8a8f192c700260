import assert from 'node:assert/strict';
import { registerInstrumentations, type InstrumentationHandle } from '../../src/instrumentation/registry';
import type { DeferredInstrumentation, HookDefinition, Instrumentation } from '../../src/instrumentation/types';
import { isWrapped, wrap, unwrap } from '../../src/instrumentation/wrap';
import { fixtureRequire, forgetFixture } from './fixtures/load-fixture';

interface FixtureLib {
  greet(name: string, punctuation?: string): string;
  shout(text: string): string;
  Widget: new (size: number) => { size: number; grow(by: number): { size: number } };
  loads: number;
}

function captureLogger() {
  const info: string[] = [];
  const error: string[] = [];
  return { info, error, logger: { info: (m: string) => info.push(m), error: (m: string) => error.push(m) } };
}

/** Wraps `greet` so its result says it was patched; `versions` seen are recorded. */
function greetHook(seenVersions: string[], versions = '^1.0.0'): HookDefinition<FixtureLib> {
  return {
    name: 'jt-fixture-lib',
    versions,
    patch(exports, version) {
      seenVersions.push(version);
      wrap(exports, 'greet', (original) =>
        function greet(this: unknown, ...args: [string, string?]) {
          return `${original.apply(this, args)} (patched)`;
        },
      );
    },
    unpatch(exports) {
      unwrap(exports, 'greet');
    },
  };
}

describe('registerInstrumentations', () => {
  let handle: InstrumentationHandle | undefined;
  beforeEach(() => {
    forgetFixture('jt-fixture-lib');
    forgetFixture('jt-fixture-old');
    forgetFixture('jt-fixture-main');
  });
  afterEach(() => {
    handle?.unregister();
    handle = undefined;
  });

  it('patches a module required after registration, with the version from its package.json', () => {
    const versions: string[] = [];
    handle = registerInstrumentations([{ name: 'fixture', hooks: [greetHook(versions)] }]);
    const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(lib.greet('ada', '!'), 'hello ada! (patched)');
    assert.deepEqual(versions, ['1.2.3']);
    // name, length and own properties survive
    assert.equal(lib.greet.name, 'greet');
    assert.equal(lib.greet.length, 2);
    assert.equal((lib.greet as unknown as { flavour: string }).flavour, 'plain');
    // a second require returns the same patched exports without patching again
    assert.equal(fixtureRequire('jt-fixture-lib'), lib);
    assert.deepEqual(versions, ['1.2.3']);
  });

  it('unregister() undoes the patch and stops patching new loads', () => {
    const versions: string[] = [];
    handle = registerInstrumentations([{ name: 'fixture', hooks: [greetHook(versions)] }]);
    const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
    handle.unregister();
    assert.equal(lib.greet('ada'), 'hello ada');
    forgetFixture('jt-fixture-lib');
    const fresh = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(fresh.greet('bob'), 'hello bob');
    assert.deepEqual(versions, ['1.2.3']);
  });

  it('leaves a module whose version is out of range alone, saying so once', () => {
    const { info, logger } = captureLogger();
    const versions: string[] = [];
    handle = registerInstrumentations([{ name: 'fixture', hooks: [greetHook(versions, '>=2')] }], { logger });
    const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(lib.greet('ada'), 'hello ada');
    assert.deepEqual(versions, []);
    forgetFixture('jt-fixture-lib');
    fixtureRequire('jt-fixture-lib');
    assert.equal(info.filter((m) => m.includes('jt-fixture-lib@1.2.3 is outside >=2')).length, 1);
  });

  it('a patch that throws leaves the original exports working (its wraps rolled back) and logs once', () => {
    const { error, logger } = captureLogger();
    const failing: HookDefinition<FixtureLib> = {
      name: 'jt-fixture-lib',
      versions: '*',
      patch(exports) {
        wrap(exports, 'greet', () => () => 'half-patched');
        throw new Error('boom in patch');
      },
    };
    handle = registerInstrumentations([{ name: 'failing', hooks: [failing] }], { logger });
    const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(lib.greet('ada'), 'hello ada');
    assert.equal(isWrapped(lib.greet), false);
    assert.equal(new lib.Widget(2).grow(3).size, 5);
    forgetFixture('jt-fixture-lib');
    const again = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(again.greet('bob'), 'hello bob');
    assert.equal(error.length, 1);
    assert.match(error[0]!, /failing: jt-fixture-lib@1\.2\.3: patch failed, module left unpatched: Error: boom in patch/);
  });

  it('a patch may return replacement exports', () => {
    const replacing: HookDefinition<FixtureLib> = {
      name: 'jt-fixture-lib',
      versions: '*',
      patch: (exports) => ({ ...exports, greet: (name: string) => `hi ${name}` }),
    };
    handle = registerInstrumentations([{ name: 'replacing', hooks: [replacing] }]);
    const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(lib.greet('ada'), 'hi ada');
    assert.equal(lib.shout('x'), 'X');
  });

  it('matches an internal file of a module', () => {
    const seen: string[] = [];
    const internalHook: HookDefinition<{ shout(t: string): string }> = {
      name: 'jt-fixture-lib',
      versions: '1.x',
      file: 'lib/internal.js',
      patch(exports, version) {
        seen.push(version);
        wrap(exports, 'shout', (original) => (text: string) => `${original(text)}!!`);
      },
    };
    handle = registerInstrumentations([{ name: 'internal', hooks: [internalHook] }]);
    const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(lib.shout('hey'), 'HEY!!');
    assert.deepEqual(seen, ['1.2.3']);
  });

  it('registering the same instrumentation twice does not patch twice', () => {
    const versions: string[] = [];
    const instrumentation: Instrumentation = { name: 'fixture', hooks: [greetHook(versions)] };
    const { info, logger } = captureLogger();
    handle = registerInstrumentations([instrumentation]);
    const second = registerInstrumentations([instrumentation], { logger });
    assert.deepEqual(second.names, []);
    assert.equal(info.filter((m) => m.includes('already registered')).length, 1);
    const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(lib.greet('ada'), 'hello ada (patched)');
    assert.deepEqual(versions, ['1.2.3']);
    second.unregister();
  });

  it('two instrumentations on one module both apply, and a second wrap of the same function is refused', () => {
    const a: string[] = [];
    const b: string[] = [];
    handle = registerInstrumentations([
      { name: 'first', hooks: [greetHook(a)] },
      { name: 'second', hooks: [greetHook(b)] },
    ]);
    const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.deepEqual([a, b], [['1.2.3'], ['1.2.3']]);
    assert.equal(lib.greet('ada'), 'hello ada (patched)');
  });

  it('a module loaded before registration is logged once as too early, then patched when next required', () => {
    const early = fixtureRequire('jt-fixture-lib') as FixtureLib;
    const { info, logger } = captureLogger();
    const versions: string[] = [];
    handle = registerInstrumentations([{ name: 'fixture', hooks: [greetHook(versions)] }], { logger });
    assert.equal(info.filter((m) => m.includes('jt-fixture-lib was loaded before instrumentation fixture')).length, 1);
    assert.equal(early.greet('ada'), 'hello ada');
    const later = fixtureRequire('jt-fixture-lib') as FixtureLib;
    assert.equal(later, early, 'the cached module is not loaded twice');
    assert.equal(early.greet('ada'), 'hello ada (patched)');
  });

  it('runs enable() on register and disable() on unregister, surviving a throwing enable', () => {
    const calls: string[] = [];
    const { error, logger } = captureLogger();
    handle = registerInstrumentations(
      [
        { name: 'channels', hooks: [], enable: () => calls.push('enable'), disable: () => calls.push('disable') },
        {
          name: 'broken',
          hooks: [],
          enable: () => {
            throw new Error('no channel');
          },
        },
      ],
      { logger },
    );
    assert.deepEqual(calls, ['enable']);
    assert.equal(error.length, 1);
    assert.match(error[0]!, /broken: enable failed: Error: no channel/);
    handle.unregister();
    handle.unregister();
    assert.deepEqual(calls, ['enable', 'disable']);
  });

  it("a package's root index.js that is not its main file is not taken for the main module", () => {
    forgetFixture('jt-fixture-main');
    const roles: string[] = [];
    const mainHook: HookDefinition<{ role: string }> = {
      name: 'jt-fixture-main',
      versions: '*',
      patch(exports) {
        roles.push(exports.role);
      },
    };
    handle = registerInstrumentations([{ name: 'main-only', hooks: [mainHook] }]);
    const lib = fixtureRequire('jt-fixture-main') as { role: string; inner: { role: string } };
    assert.equal(lib.inner.role, 'root-index');
    assert.deepEqual(roles, ['main']);
  });

  it('leaves modules it has no hook for untouched', () => {
    handle = registerInstrumentations([{ name: 'fixture', hooks: [greetHook([])] }]);
    const old = fixtureRequire('jt-fixture-old') as { ping(): string };
    assert.equal(old.ping(), 'pong');
    assert.equal(isWrapped(old.ping), false);
  });

  describe('deferred instrumentations', () => {

    /** A deferred `fixture` instrumentation that counts its loads and enables. */
    function deferredFixture(hooks: HookDefinition[], calls: string[], modules = ['jt-fixture-lib']): DeferredInstrumentation {
      return {
        name: 'fixture',
        modules,
        load: () => {
          calls.push('load');
          return { name: 'fixture', hooks, enable: () => calls.push('enable'), disable: () => calls.push('disable') };
        },
      };
    }

    const shoutHook = (seen: string[]): HookDefinition<{ shout(t: string): string }> => ({
      name: 'jt-fixture-lib',
      versions: '1.x',
      file: 'lib/internal.js',
      patch(exports, version) {
        seen.push(`internal@${version}`);
        wrap(exports, 'shout', (original) => (text: string) => `${original(text)}!!`);
      },
      unpatch(exports) {
        unwrap(exports, 'shout');
      },
    });

    it('loads nothing until one of its packages is required, then patches its main module and internal files', () => {
      const calls: string[] = [];
      const versions: string[] = [];
      handle = registerInstrumentations([deferredFixture([greetHook(versions), shoutHook(versions)], calls)]);
      assert.deepEqual(handle.names, ['fixture']);
      assert.deepEqual(calls, [], 'not loaded at registration');
      const old = fixtureRequire('jt-fixture-old') as { ping(): string };
      assert.equal(old.ping(), 'pong');
      assert.deepEqual(calls, [], 'another package does not load it');

      const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
      assert.deepEqual(calls, ['load', 'enable'], 'loaded once, by the first file of the package (the internal one)');
      assert.equal(lib.greet('ada'), 'hello ada (patched)');
      assert.equal(lib.shout('hey'), 'HEY!!');
      assert.deepEqual(versions, ['internal@1.2.3', '1.2.3']);

      // a fresh load of the package is patched again, without loading the instrumentation again
      forgetFixture('jt-fixture-lib');
      const again = fixtureRequire('jt-fixture-lib') as FixtureLib;
      assert.equal(again.greet('bob'), 'hello bob (patched)');
      assert.deepEqual(calls, ['load', 'enable']);
    });

    it('unregister() undoes its patches, runs disable and stops patching new loads', () => {
      const calls: string[] = [];
      handle = registerInstrumentations([deferredFixture([greetHook([])], calls)]);
      const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
      handle.unregister();
      assert.equal(lib.greet('ada'), 'hello ada');
      assert.deepEqual(calls, ['load', 'enable', 'disable']);
      forgetFixture('jt-fixture-lib');
      assert.equal((fixtureRequire('jt-fixture-lib') as FixtureLib).greet('bob'), 'hello bob');
      // the name is free again
      handle = registerInstrumentations([deferredFixture([greetHook([])], [])]);
      assert.deepEqual(handle.names, ['fixture']);
    });

    it('an instrumentation whose package is already loaded is loaded at registration and says the package came too early', () => {
      const early = fixtureRequire('jt-fixture-lib') as FixtureLib;
      const calls: string[] = [];
      const { info, logger } = captureLogger();
      handle = registerInstrumentations([deferredFixture([greetHook([])], calls)], { logger });
      assert.deepEqual(calls, ['load', 'enable'], 'channel-based instrumentations must see a library loaded earlier');
      assert.equal(info.filter((m) => m.includes('jt-fixture-lib was loaded before instrumentation fixture')).length, 1);
      assert.equal(fixtureRequire('jt-fixture-lib'), early);
      assert.equal(early.greet('ada'), 'hello ada (patched)');
    });

    it('a load() that throws leaves the package working, logged once', () => {
      const { error, logger } = captureLogger();
      handle = registerInstrumentations(
        [
          {
            name: 'broken',
            modules: ['jt-fixture-lib'],
            load: () => {
              throw new Error('cannot find @jt/broken');
            },
          },
        ],
        { logger },
      );
      const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
      assert.equal(lib.greet('ada'), 'hello ada');
      forgetFixture('jt-fixture-lib');
      fixtureRequire('jt-fixture-lib');
      assert.equal(error.length, 1);
      assert.match(error[0]!, /broken: instrumentation not loaded: Error: cannot find @jt\/broken/);
    });

    it('a hook on a package it did not declare is not applied, and says so', () => {
      const { error, logger } = captureLogger();
      const versions: string[] = [];
      const pingHook: HookDefinition<{ ping(): string }> = {
        name: 'jt-fixture-old',
        versions: '*',
        patch(exports) {
          wrap(exports, 'ping', () => () => 'patched pong');
        },
      };
      handle = registerInstrumentations([deferredFixture([greetHook(versions), pingHook], [])], { logger });
      const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
      assert.equal(lib.greet('ada'), 'hello ada (patched)');
      assert.equal((fixtureRequire('jt-fixture-old') as { ping(): string }).ping(), 'pong');
      assert.equal(error.length, 1);
      assert.match(error[0]!, /fixture: its hook on jt-fixture-old is outside its modules \(jt-fixture-lib\), not applied/);
    });

    it('registered under one name, loaded under another: both names are taken until unregister()', () => {
      handle = registerInstrumentations([{ name: 'fixture-alias', modules: ['jt-fixture-lib'], load: () => ({ name: 'fixture', hooks: [greetHook([])] }) }]);
      fixtureRequire('jt-fixture-lib');
      const { info, logger } = captureLogger();
      const again = registerInstrumentations([{ name: 'fixture', hooks: [greetHook([])] }], { logger });
      assert.deepEqual(again.names, []);
      assert.equal(info.filter((m) => m.includes('instrumentation fixture is already registered')).length, 1);
      handle.unregister();
      handle = registerInstrumentations([{ name: 'fixture', hooks: [greetHook([])] }]);
      assert.deepEqual(handle.names, ['fixture'], 'unregister() freed the name it was loaded under');
    });

    it('a load() that returns no instrumentation never throws into the app\'s require', () => {
      const { error, logger } = captureLogger();
      handle = registerInstrumentations([{ name: 'malformed', modules: ['jt-fixture-lib'], load: () => ({ name: 'malformed' }) as unknown as Instrumentation }], {
        logger,
      });
      const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
      assert.equal(lib.greet('ada'), 'hello ada');
      assert.equal(error.length, 1);
      assert.match(error[0]!, /malformed: instrumentation not loaded: TypeError: load\(\) did not return an instrumentation with hooks/);
    });

    it('registered under one name, loaded under another that is already registered: not patched twice', () => {
      const versions: string[] = [];
      const direct: Instrumentation = { name: 'fixture', hooks: [greetHook(versions)] };
      handle = registerInstrumentations([direct]);
      const { info, logger } = captureLogger();
      const second = registerInstrumentations(
        [{ name: 'fixture-alias', modules: ['jt-fixture-lib'], load: () => ({ name: 'fixture', hooks: [greetHook(versions)] }) }],
        { logger },
      );
      const lib = fixtureRequire('jt-fixture-lib') as FixtureLib;
      assert.equal(lib.greet('ada'), 'hello ada (patched)');
      assert.deepEqual(versions, ['1.2.3']);
      assert.equal(info.filter((m) => m.includes('instrumentation fixture is already registered')).length, 1);
      second.unregister();
    });
  });
});
