import type { Tracer } from '@jt/core';

/** Longest we hold a terminating signal to flush spans. */
const SIGNAL_FLUSH_TIMEOUT_MS = 2000;

/**
 * Flushes spans when the process is about to end, without changing how it ends:
 * - `beforeExit` (the loop ran dry): flush; the process then exits as it would have.
 * - SIGTERM/SIGINT: if the app listens for the signal itself, we only flush alongside it.
 *   If nobody else does, Node would have died at once, so after the flush (bounded) we
 *   remove our listener and re-send the signal: the exit code is the same as untraced.
 */
export function installExitFlush(tracer: Tracer): () => void {
  let flushedSinceIdle = false;
  const onBeforeExit = (): void => {
    // a flush that sends re-arms the loop and beforeExit comes back once more: stop then
    if (flushedSinceIdle) return;
    flushedSinceIdle = true;
    void tracer.flush().finally(() => {
      setImmediate(() => {
        flushedSinceIdle = false;
      }).unref();
    });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    const othersListen = process.listenerCount(signal) > 1;
    const flushed = Promise.race([
      tracer.flush(),
      new Promise<void>((resolve) => setTimeout(resolve, SIGNAL_FLUSH_TIMEOUT_MS).unref()),
    ]);
    if (othersListen) return;
    void flushed.finally(() => {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    });
  };
  process.on('beforeExit', onBeforeExit);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  };
}
