import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { PlanResult } from "../schedule/planner.js";
import type { PlanOutcome, Planner, PlanRequest } from "../schedule/planRequest.js";

/**
 * How long one plan may take, by the clock: any body GitHub accepts plans within it, or is refused. The largest
 * ordinary body takes 0.15–0.6 s of CPU (`npm run bench`); the clock runs on while a busy server serves others,
 * and a breakdown refused for the server's load would be a false refusal.
 */
export const PLAN_BUDGET_MS = 2_000;
/** The heap one plan may grow to. */
export const PLAN_HEAP_MB = 256;
/** How long a new worker may take to load the planner: longer is an error of ours, not the body's. */
const START_MS = 30_000;
/**
 * Plans at once: each holds a core while it runs. Many features labelled at
 * once would otherwise start a worker each, and on a small machine every one
 * of them would run past its budget and be refused for the server's load; the
 * others wait their turn, and a plan's budget counts from when it has a worker.
 */
export const PLANS_AT_ONCE = Math.max(1, Math.min(4, availableParallelism()));
/** Workers kept warm between plans (each holds its own heap): one a plan that may run at once. */
const KEPT_IDLE = PLANS_AT_ONCE;

/** Plans running, and the ones waiting for their turn. */
let running = 0;
const waiting: Array<() => void> = [];

/** Runs `work` when fewer than `PLANS_AT_ONCE` plans run; a plan that ends hands its turn to the next one waiting. */
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running < PLANS_AT_ONCE) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next === undefined) running -= 1;
    else next();
  }
}

/** Warm workers, each with the heap it was started with. */
const idle: Array<{ worker: Worker; heapMb: number }> = [];

export interface PlanLimits {
  /** Milliseconds a plan may take, counted from when the worker has the request. */
  budgetMs?: number;
  /** Megabytes of heap a plan may use. */
  heapMb?: number;
}

/**
 * Plans off the event loop: each request goes to a worker thread of its own
 * (a warm one when there is one), at most `PLANS_AT_ONCE` at a time, so that
 * no delivery for another issue waits on it, and the worker is stopped when the plan takes longer or more heap
 * than its limits. Issue bodies are untrusted: a plan's time and memory are
 * bounded whatever the planner's code does with them.
 */
export function workerPlanner({ budgetMs = PLAN_BUDGET_MS, heapMb = PLAN_HEAP_MB }: PlanLimits = {}): Planner {
  return (request) =>
    inTurn(async () => {
      const at = idle.findIndex((kept) => kept.heapMb === heapMb);
      const worker = at === -1 ? await started(heapMb) : idle.splice(at, 1)[0]!.worker;
      worker.ref();
      const outcome = await answer(worker, request, budgetMs, heapMb);
      if (outcome.kept) {
        worker.unref();
        if (idle.length < KEPT_IDLE) idle.push({ worker, heapMb });
        else void worker.terminate();
      }
      return outcome.outcome;
    });
}

/** The worker's answer to one request; `kept` when it is still alive and free. */
function answer(
  worker: Worker,
  request: PlanRequest,
  budgetMs: number,
  heapMb: number,
): Promise<{ outcome: PlanOutcome; kept: boolean }> {
  return new Promise((resolve, reject) => {
    const settle = (action: () => void) => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      action();
    };
    const onMessage = (result: PlanResult) => settle(() => resolve({ outcome: result, kept: true }));
    const onError = (error: Error & { code?: string }) =>
      settle(() =>
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? resolve({ outcome: { ok: false, stopped: "memory", limit: heapMb }, kept: false })
          : reject(error),
      );
    const onExit = (code: number) =>
      settle(() => reject(new Error(`the planning worker exited (code ${code}) before it answered`)));
    const timer = setTimeout(() => {
      settle(() => resolve({ outcome: { ok: false, stopped: "time", limit: budgetMs }, kept: false }));
      void worker.terminate();
    }, budgetMs);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.postMessage(request);
  });
}

/** A new worker, once it has loaded the planner. */
function started(heapMb: number): Promise<Worker> {
  const worker = spawn(heapMb);
  return new Promise((resolve, reject) => {
    const settle = (action: () => void) => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      action();
    };
    const onMessage = () => settle(() => resolve(worker));
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = (code: number) =>
      settle(() => reject(new Error(`the planning worker exited (code ${code}) as it started`)));
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`the planning worker did not start within ${START_MS} ms`)));
      void worker.terminate();
    }, START_MS);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
  });
}

/**
 * The worker's entry is found beside the calling code's folder, as the
 * sources lie and as lib/ is built (scripts/build.js: lib/handlers/planWorker.js,
 * every file two folders below the root). From the sources (tests, `npm run
 * bench`), tsx compiles the worker's TypeScript as it does the process's.
 */
function spawn(heapMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb } };
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(`../handlers/planWorker.${fromSources ? "ts" : "js"}`, import.meta.url);
  let worker: Worker;
  if (fromSources) {
    const tsx = import.meta.resolve("tsx/esm/api");
    const code = `const { register } = await import(${JSON.stringify(tsx)});\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
    worker = new Worker(code, { ...options, eval: true });
  } else {
    worker = new Worker(entry, options);
  }
  // An error is answered by the request it ends; an idle worker that ends is no longer kept.
  worker.on("error", () => undefined);
  worker.once("exit", () => {
    const at = idle.findIndex((kept) => kept.worker === worker);
    if (at !== -1) idle.splice(at, 1);
  });
  return worker;
}
