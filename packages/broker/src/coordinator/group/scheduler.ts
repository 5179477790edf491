// Keyed timers for the coordinator: scheduling a key again replaces its timer, so a member's
// heartbeat deadline or a group's rebalance deadline is always the latest one. Tests substitute a
// manual scheduler that advances time explicitly.

export interface Scheduler {
  schedule(key: string, delayMs: number, task: () => void): void;
  cancel(key: string): void;
  cancelAll(): void;
}

export class TimerScheduler implements Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  schedule(key: string, delayMs: number, task: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      task();
    }, delayMs);
    // Deadlines never keep the process alive on their own.
    timer.unref();
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
