import { isThenable, safeExecute, startClientSpan, Tags, withSpan, type Span, type WrapperFactory } from '@jt/core';
import { setupCommandParent } from './connect-tracing';
import { connectionTags, type OptionsRef } from './connection-tags';
import { upperName, type AnyFunction, type ClientShape, type CommandShape } from './ioredis-shapes';
import { autoPipelinedCommands, pipelineOfCommand, settleTransaction, type PipelineTrace } from './pipeline-tracing';
import { commandStatement } from './statement';

/**
 * Commands already seen. ioredis passes one command through `sendCommand` again when it
 * flushes the offline queue or resends after a reconnect: the first call decides, once.
 */
const SEEN = Symbol('jt.redis.seen');

/**
 * Wraps `Redis.prototype.sendCommand`, which every command goes through (also pipelined
 * ones, at `exec()`): a client span per command, named by the command (`GET`), ending when
 * its reply (or error) arrives. The return value is the original's, untouched; the caller's
 * callback and promise continuations keep the caller's async context (ioredis binds them
 * when the command is created).
 */
export function sendCommandWrapper(ref: OptionsRef): WrapperFactory<AnyFunction> {
  return (original) =>
    function sendCommand(this: ClientShape, command: unknown): unknown {
      // a symbol mark, not a WeakSet: one property store per command is far cheaper
      if (command !== null && typeof command === 'object' && (command as Record<symbol, unknown>)[SEEN] !== true) {
        (command as Record<symbol, unknown>)[SEEN] = true;
        const client = this;
        safeExecute(function traceRedisCommand() {
          traceCommand(client, command as CommandShape, ref);
        });
      }
      return original.apply(this, arguments as unknown as unknown[]);
    };
}

function traceCommand(client: ClientShape, command: CommandShape, ref: OptionsRef): void {
  const options = ref.current;
  const name = upperName(command);
  if (name === '') return;
  const pipeline = pipelineOfCommand.get(command);
  let span: Span | undefined;
  if (pipeline !== undefined) {
    if (name === 'MULTI') return;
    if (name === 'EXEC') {
      onReply(command, (value, err) => settleTransaction(pipeline, value, err));
      return;
    }
    if (pipeline.span === undefined) return;
    span = startCommandSpan(name, ref, pipeline.span);
  } else {
    const queued = autoPipelinedCommands.get(command);
    if (queued !== undefined) {
      if (queued.suppressed) return;
      // the caller's context, not exec's (a later tick, shared with other callers)
      span = withSpan(queued.parent, () => startCommandSpan(name, ref, undefined));
    } else {
      const setup = setupCommandParent(client, name);
      if (setup.setup && setup.parent === undefined) return;
      span = startCommandSpan(name, ref, setup.parent);
    }
  }
  if (span === undefined) return;
  if (span.context().isSampled()) {
    span.addTags(connectionTags(client, options));
    const statement = commandStatement(name, command, options);
    if (statement !== undefined) span.setTag(Tags.DB_STATEMENT, statement);
  }
  finishOnReply(command, span, pipeline);
}

function startCommandSpan(name: string, ref: OptionsRef, parent: Span | undefined): Span | undefined {
  const options = ref.current;
  return startClientSpan(name, {
    component: 'ioredis',
    tracer: options.tracer,
    childOf: parent,
    requireParent: options.requireParentSpan,
  });
}

/**
 * Ends the span when the reply arrives. A command inside a pipelined transaction replies
 * `QUEUED`; its span waits for EXEC (see `settleTransaction`).
 */
function finishOnReply(command: CommandShape, span: Span, pipeline: PipelineTrace | undefined): void {
  const waitsForExec = pipeline !== undefined && command.inTransaction === true;
  onReply(command, (_value, err) => {
    if (err !== undefined) {
      span.recordError(err);
      span.finish();
    } else if (waitsForExec) {
      pipeline.pendingTransaction.push(span);
    } else {
      span.finish();
    }
  });
}

/**
 * Calls `listener` once, when the command's reply arrives. ioredis settles a command through
 * its per-instance `resolve`/`reject` functions: wrapping them sees the reply at once, with no
 * extra promise handler (which would hide the app's unhandled rejections). `resolve` may call
 * `reject` itself (a reply transformer that throws): the first outcome wins.
 */
function onReply(command: CommandShape, listener: (value: unknown, err: unknown) => void): void {
  let settled = false;
  const settle = (value: unknown, err: unknown): void => {
    if (settled) return;
    settled = true;
    safeExecute(function redisReplyListener() {
      listener(value, err);
    });
  };
  const resolve = command.resolve;
  const reject = command.reject;
  if (typeof resolve !== 'function' || typeof reject !== 'function') {
    if (isThenable(command.promise)) command.promise.then((value) => settle(value, undefined), (err) => settle(undefined, err ?? 'error'));
    return;
  }
  command.reject = function (this: unknown, err: unknown) {
    settle(undefined, err ?? new Error('redis command failed'));
    return reject.apply(this, arguments as unknown as unknown[]);
  } as AnyFunction;
  command.resolve = function (this: unknown, value: unknown) {
    const result = resolve.apply(this, arguments as unknown as unknown[]);
    settle(value, undefined);
    return result;
  } as AnyFunction;
}
