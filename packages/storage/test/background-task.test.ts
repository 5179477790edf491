import assert from "node:assert/strict";
import { test } from "node:test";
import { BackgroundTask } from "../src/background-task.ts";
import { waitFor } from "./support/fixtures.ts";

test("runs repeatedly without overlapping, hands errors to onError, and stop waits for a run in progress", async () => {
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const errors: string[] = [];
  const task = new BackgroundTask({
    name: "probe",
    intervalMs: 1,
    onError: (name, error) => errors.push(`${name}: ${(error as Error).message}`),
    run: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (runs % 2 === 0) throw new Error(`run ${runs} failed`);
      return false;
    },
  });
  task.start();
  await waitFor(() => runs >= 6 && running === 1, "six runs, one in progress");
  await task.stop();
  assert.equal(running, 0, "stop waited for the run in progress");
  const runsAfterStop = runs;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(runs, runsAfterStop, "no run after stop");
  assert.equal(maxRunning, 1);
  assert.ok(errors.length >= 3, errors.join());
  assert.ok(
    errors.every((e) => /^probe: run \d+ failed$/.test(e)),
    errors.join(),
  );
});

test("a run reporting more waiting work runs again at once, not after the interval", async () => {
  let runs = 0;
  const task = new BackgroundTask({
    name: "busy",
    intervalMs: 60_000,
    onError: () => undefined,
    run: async () => ++runs < 5,
  });
  task.start(0);
  await waitFor(() => runs >= 5, "five back-to-back runs", 2000);
  await task.stop();
  assert.equal(runs, 5, "the sixth run waits for the 60 s interval");
});

test("an interval past the timer limit disables the task; a non-positive one is refused", async () => {
  let runs = 0;
  const never = new BackgroundTask({
    name: "never",
    intervalMs: Number.POSITIVE_INFINITY,
    onError: () => undefined,
    run: async () => {
      runs++;
      return false;
    },
  });
  assert.equal(never.enabled, false);
  never.start(0);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await never.stop();
  assert.equal(runs, 0);
  assert.throws(
    () =>
      new BackgroundTask({ name: "zero", intervalMs: 0, onError: () => undefined, run: async () => false }),
    RangeError,
  );
});
