import type { Logger } from "@modelfaucet/server-kit";

export interface Job {
  name: string;
  /** Time between two runs. */
  intervalMs: number;
  /** One bounded pass; returns how many items it handled. */
  run(): Promise<number>;
}

/**
 * Runs each job on its own timer, one pass at a time (a slow pass delays the
 * next instead of overlapping it). A failing pass is logged and retried at the
 * next tick. Returns a stop function that waits for passes in progress.
 */
export function runJobs(jobs: Job[], logger: Logger): () => Promise<void> {
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const timers = jobs.map((job) => {
    const tick = async () => {
      try {
        const handled = await job.run();
        if (handled > 0) logger.info({ job: job.name, handled }, "job pass");
      } catch (error) {
        logger.error({ err: error, job: job.name }, "job pass failed");
      }
    };
    let timer: NodeJS.Timeout;
    const schedule = () => {
      timer = setTimeout(() => {
        if (stopped) return;
        const pass = tick().finally(() => {
          inFlight.delete(pass);
          if (!stopped) schedule();
        });
        inFlight.add(pass);
      }, job.intervalMs);
      timer.unref();
    };
    schedule();
    return () => clearTimeout(timer);
  });
  return async () => {
    stopped = true;
    for (const clear of timers) clear();
    await Promise.all(inFlight);
  };
}
