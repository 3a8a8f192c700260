/** The sends under way, so that a sender's `close()` can wait for them. */
export class InFlight {
  private readonly tasks = new Set<Promise<unknown>>();

  /** Tracks `task` until it settles; returns it. */
  track<T>(task: Promise<T>): Promise<T> {
    this.tasks.add(task);
    const untrack = (): void => {
      this.tasks.delete(task);
    };
    task.then(untrack, untrack);
    return task;
  }

  /** Resolves once every task tracked now has settled; never rejects. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.tasks]);
  }
}
