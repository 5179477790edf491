// One periodic background job of the log manager (flush, checkpoint, retention, cleaner). Runs
// never overlap: the next run is scheduled when the previous one has finished, after the interval
// — or at once when the run reports more waiting work (the cleaner keeps cleaning while logs are
// dirty, like Kafka's cleaner thread). Timers are unref'd so they never keep the process alive.
// A run's error is handed to `onError` and never becomes an unhandled rejection. `stop` clears
// the timer and waits for a run in progress.

/** setTimeout's limit; longer intervals (Kafka's Long.MAX_VALUE "never") disable the task. */
const maxTimerMs = 2147483647;

export interface BackgroundTaskOptions {
  readonly name: string;
  readonly intervalMs: number;
  /** One bounded unit of work; resolves true when more work is waiting. */
  readonly run: () => Promise<boolean>;
  readonly onError: (task: string, error: unknown) => void;
}

export class BackgroundTask {
  readonly name: string;
  private readonly options: BackgroundTaskOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(options: BackgroundTaskOptions) {
    if (!(options.intervalMs > 0))
      throw new RangeError(`${options.name}: interval ${options.intervalMs} ms must be positive`);
    this.name = options.name;
    this.options = options;
  }

  get enabled(): boolean {
    return this.options.intervalMs <= maxTimerMs;
  }

  /** Schedules the first run after `firstDelayMs` (default: one interval). */
  start(firstDelayMs = this.options.intervalMs): void {
    this.schedule(firstDelayMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || !this.enabled) return;
    this.timer = setTimeout(() => this.tick(), delayMs);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = undefined;
    let more = false;
    this.running = this.options
      .run()
      .then(
        (result) => {
          more = result;
        },
        (error: unknown) => {
          try {
            this.options.onError(this.name, error);
          } catch {
            // a failing logger must not stop the schedule
          }
        },
      )
      .finally(() => {
        this.running = undefined;
        this.schedule(more ? 0 : this.options.intervalMs);
      });
  }

  /** Stops scheduling and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
