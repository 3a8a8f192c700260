import type { ProcessData, SpanData } from '../span-data';
import type { Reporter } from './reporter';

/** Hands each span to several reporters (e.g. logging and remote). */
export class CompositeReporter implements Reporter {
  constructor(private readonly reporters: Reporter[]) {}

  setProcess(process: ProcessData): void {
    for (const reporter of this.reporters) reporter.setProcess?.(process);
  }

  report(span: SpanData): void {
    for (const reporter of this.reporters) {
      try {
        reporter.report(span);
      } catch {
        // one reporter's failure must not stop the others
      }
    }
  }

  async flush(): Promise<void> {
    await Promise.all(this.reporters.map((r) => r.flush().catch(() => undefined)));
  }

  async close(): Promise<void> {
    await Promise.all(this.reporters.map((r) => r.close().catch(() => undefined)));
  }
}
