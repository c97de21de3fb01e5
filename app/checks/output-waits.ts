/**
 * What a process writes, as it comes, and waits on it: the checks drive a run (in a pipe or in a
 * terminal) by what it has said so far.
 */
export class OutputWaits {
  text = "";
  /** True once nothing more will come. */
  closed = false;
  private waiters: (() => void)[] = [];

  append(text: string): void {
    this.text += text;
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Resolves true once `done` holds of the text, false if it is closed first. */
  async until(done: (text: string) => boolean): Promise<boolean> {
    while (!done(this.text)) {
      if (this.closed) return false;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return true;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
