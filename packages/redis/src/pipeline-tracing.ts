import {
  activeSpan,
  isTracingSuppressed,
  safeExecute,
  startClientSpan,
  Tags,
  type Span,
  type WrapperFactory,
} from '@jt/core';
import { connectionTags, type OptionsRef } from './connection-tags';
import { type AnyFunction, type CommandShape, type PipelineShape, upperName } from './ioredis-shapes';
import { commandStatement, joinStatements } from './statement';

/**
 * How pipelines appear: `exec()` of a pipeline makes one `PIPELINE` span (a `MULTI` span when
 * the pipeline is a `multi()` transaction) whose `db.statement` lists the commands, one per
 * line, and each command gets its own span as a child, ending when its own reply arrives.
 * Inside a transaction a command's reply is only `QUEUED`: its span ends with the EXEC reply
 * instead, carrying the command's own result (an error in EXEC's array goes on that command's
 * span). The MULTI and EXEC commands themselves get no spans: the parent span stands for them.
 */
export interface PipelineTrace {
  span: Span | undefined;
  /** Transaction commands whose reply was QUEUED, waiting for EXEC's reply. */
  pendingTransaction: Span[];
}

/** The explicit pipeline each queued command belongs to (set when `exec()` runs). */
export const pipelineOfCommand = new WeakMap<object, PipelineTrace>();

/** Where a command queued on an auto-pipeline was issued: its caller's parent span. */
export interface QueuedContext {
  parent: Span | undefined;
  suppressed: boolean;
}

/**
 * Commands of ioredis' automatic pipelines (`enableAutoPipelining`). Such a pipeline mixes
 * commands of unrelated callers and runs in a later tick, so it gets no span of its own:
 * each command's span is parented on what was active where the command was issued.
 */
export const autoPipelinedCommands = new WeakMap<object, QueuedContext>();

const tracedPipelines = new WeakMap<object, PipelineTrace>();

/** ioredis marks its automatic pipelines with private symbols named `exec` and `callbacks`. */
export function isAutoPipeline(pipeline: object): boolean {
  for (const symbol of Object.getOwnPropertySymbols(pipeline)) {
    if (symbol.description === 'callbacks' || symbol.description === 'exec') return true;
  }
  return false;
}

/** Wraps `Pipeline.prototype.sendCommand` (queueing) to remember auto-pipelined callers. */
export function pipelineQueueWrapper(): WrapperFactory<AnyFunction> {
  return (original) =>
    function sendCommand(this: PipelineShape, command: unknown, ...rest: unknown[]): unknown {
      if (command !== null && typeof command === 'object' && this !== null && typeof this === 'object' && isAutoPipeline(this)) {
        autoPipelinedCommands.set(command, { parent: activeSpan(), suppressed: isTracingSuppressed() });
      }
      return original.call(this, command, ...rest);
    };
}

/** Wraps `Pipeline.prototype.exec`: the PIPELINE/MULTI span (see `PipelineTrace`). */
export function pipelineExecWrapper(ref: OptionsRef): WrapperFactory<AnyFunction> {
  return (original) =>
    function exec(this: PipelineShape, ...args: unknown[]): unknown {
      // `_transactions > 0`: this call only queues EXEC (multi() calls exec twice); a pipeline
      // seen before is a retry (cluster redirection): its commands already have spans
      if (
        this === null ||
        typeof this !== 'object' ||
        (this._transactions ?? 0) > 0 ||
        tracedPipelines.has(this) ||
        isAutoPipeline(this)
      ) {
        return original.apply(this, args);
      }
      const pipeline = this;
      const trace = safeExecute(function tracePipeline() {
        return startPipelineTrace(pipeline, ref);
      });
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (err) {
        if (trace?.span !== undefined) {
          trace.span.recordError(err);
          trace.span.finish();
        }
        throw err;
      }
      return result;
    };
}

function startPipelineTrace(pipeline: PipelineShape, ref: OptionsRef): PipelineTrace {
  const options = ref.current;
  const queue = (Array.isArray(pipeline._queue) ? pipeline._queue : []) as CommandShape[];
  const names = queue.map(upperName);
  const isMulti = names.length >= 2 && names[0] === 'MULTI' && names[names.length - 1] === 'EXEC';
  const span = startClientSpan(isMulti ? 'MULTI' : 'PIPELINE', {
    component: 'ioredis',
    tracer: options.tracer,
    requireParent: options.requireParentSpan,
  });
  const trace: PipelineTrace = { span, pendingTransaction: [] };
  tracedPipelines.set(pipeline, trace);
  for (const command of queue) if (command !== null && typeof command === 'object') pipelineOfCommand.set(command, trace);
  if (span === undefined) return trace;
  if (span.context().isSampled()) {
    span.addTags(connectionTags(pipeline.redis, options));
    const listed = isMulti ? queue.slice(1, -1) : queue;
    const statements: string[] = [];
    for (let i = 0; i < listed.length; i++) {
      const statement = commandStatement(upperName(listed[i]!), listed[i]!, options);
      if (statement !== undefined) statements.push(statement);
    }
    span.setTag('db.redis.batch_size', listed.length);
    if (statements.length > 0) span.setTag(Tags.DB_STATEMENT, joinStatements(statements, options.maxStatementLength));
  }
  onPipelineSettled(pipeline, span, isMulti);
  return trace;
}

/**
 * Ends the pipeline span when ioredis settles the pipeline (`resolve`/`reject` are its own
 * per-instance functions, called once every reply is in). For MULTI, a failed EXEC (e.g.
 * EXECABORT) is the transaction's error.
 */
function onPipelineSettled(pipeline: PipelineShape, span: Span, isMulti: boolean): void {
  const resolve = pipeline.resolve;
  const reject = pipeline.reject;
  if (typeof resolve !== 'function' || typeof reject !== 'function') {
    // unknown shape: fall back on the promise (this marks it handled; ioredis handles it too)
    const promise = pipeline.promise as PromiseLike<unknown> | undefined;
    promise?.then(
      (results) => finishPipelineSpan(span, results, isMulti),
      (err: unknown) => finishPipelineSpan(span, undefined, isMulti, err),
    );
    return;
  }
  pipeline.resolve = function (this: unknown, results: unknown) {
    finishPipelineSpan(span, results, isMulti);
    return resolve.apply(this, arguments as unknown as unknown[]);
  } as AnyFunction;
  pipeline.reject = function (this: unknown, err: unknown) {
    finishPipelineSpan(span, undefined, isMulti, err);
    return reject.apply(this, arguments as unknown as unknown[]);
  } as AnyFunction;
}

function finishPipelineSpan(span: Span, results: unknown, isMulti: boolean, err?: unknown): void {
  if (err !== undefined) {
    span.recordError(err);
  } else if (isMulti && Array.isArray(results) && results.length > 0) {
    const execEntry = results[results.length - 1] as unknown;
    const execError = Array.isArray(execEntry) ? execEntry[0] : undefined;
    if (execError) span.recordError(execError);
  }
  span.finish();
}

/**
 * Ends the spans of a transaction's commands with EXEC's reply: the i-th result belongs to
 * the i-th QUEUED command; an Error there is that command's error. A failed EXEC fails all.
 */
export function settleTransaction(trace: PipelineTrace, execResult: unknown, execError?: unknown): void {
  const pending = trace.pendingTransaction.splice(0);
  const results = Array.isArray(execResult) ? execResult : undefined;
  for (let i = 0; i < pending.length; i++) {
    const span = pending[i]!;
    const result = results?.[i];
    if (execError !== undefined) span.recordError(execError);
    else if (result instanceof Error) span.recordError(result);
    span.finish();
  }
}
