import assert from 'node:assert/strict';
import Module from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { ConstSampler, InMemoryReporter, Tracer, setGlobalTracer, traced } from '../../src/index';

/** A decorated class, compiled by the real TypeScript compiler under each decorator flavour. */
const CLASS_SOURCE = `
import { traced } from '../../src/index';
export class UserService {
  prefix = 'user-';
  @traced('load-user')
  async load(id: string, extra?: string) {
    await new Promise((r) => setTimeout(r, 1));
    if (id === 'bad') throw new Error('no such user');
    return this.prefix + id;
  }
  @traced({ name: 'count', tags: { cached: true } })
  count(a: number, b: number, c: number) {
    return a + b + c;
  }
  @traced()
  plain() {
    return 'plain';
  }
}
`;

function compile(experimentalDecorators: boolean): { UserService: new () => Record<string, (...a: unknown[]) => unknown> } {
  const { outputText } = ts.transpileModule(CLASS_SOURCE, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      experimentalDecorators,
    },
  });
  const filename = path.join(__dirname, `compiled-${experimentalDecorators ? 'legacy' : 'standard'}.js`);
  const mod = new Module(filename, module);
  mod.filename = filename;
  mod.paths = (Module as unknown as { _nodeModulePaths(p: string): string[] })._nodeModulePaths(__dirname);
  (mod as unknown as { _compile(code: string, file: string): void })._compile(outputText, filename);
  return mod.exports;
}

describe('traced', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('decorators', reporter, new ConstSampler(true));
  before(() => setGlobalTracer(tracer));
  beforeEach(() => reporter.clear());

  for (const experimental of [false, true]) {
    describe(experimental ? 'with experimentalDecorators' : 'with standard decorators', () => {
      const { UserService } = compile(experimental);

      it('traces async methods as children of the active span, keeping this, args and result', async () => {
        const service = new UserService();
        const result = await tracer.trace('request', () => service.load!('42'));
        assert.equal(result, 'user-42');
        const [load, request] = reporter.spans;
        assert.equal(load!.operationName, 'load-user');
        assert.equal(load!.parentId, request!.spanId);
        assert.equal(service.load!.length, 2);
        assert.equal(service.load!.name, 'load');
      });

      it('records a rejected error and still rejects with it', async () => {
        await assert.rejects(() => new UserService().load!('bad') as Promise<unknown>, /no such user/);
        const span = reporter.spans[0]!;
        assert.ok(span.tags.some((t) => t.key === 'error' && t.value === true));
        assert.ok(span.logs[0]!.fields.some((f) => f.key === 'message' && f.value === 'no such user'));
      });

      it('traces sync methods with tags, and names @traced() after Class.method', () => {
        const service = new UserService();
        assert.equal(service.count!(1, 2, 3), 6);
        assert.equal(service.plain!(), 'plain');
        const [count, plain] = reporter.spans;
        assert.equal(count!.operationName, 'count');
        assert.ok(count!.tags.some((t) => t.key === 'cached' && t.value === true));
        assert.equal(plain!.operationName, 'UserService.plain');
      });
    });
  }

  it('wraps plain functions keeping this, arguments, return value, name, length and thrown errors', () => {
    const obj = {
      factor: 3,
      times: traced('times', function times(this: { factor: number }, a: number, _b?: number) {
        return this.factor * a;
      }),
    };
    assert.equal(obj.times(2), 6);
    assert.equal(obj.times.name, 'times');
    assert.equal(obj.times.length, 2);
    const boom = traced(function boom() {
      throw new RangeError('bad range');
    });
    assert.throws(() => boom(), RangeError);
    assert.deepEqual(reporter.spans.map((s) => s.operationName), ['times', 'boom']);
  });

  it('keeps an express-style error handler recognisable by its arity of 4', () => {
    const handler = traced('error-handler', (_err: unknown, _req: unknown, _res: unknown, _next: unknown) => undefined);
    assert.equal(handler.length, 4);
  });
});
