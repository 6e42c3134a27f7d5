/** Longest a publisher waits to hear its own invalidation back before it answers anyway. */
export const ECHO_TIMEOUT_MS = 1000;

/**
 * Lets a process wait until the channel has carried its own message back to
 * it. The broker fans a message out to every subscriber at once, so when the
 * echo arrives the other processes have been sent it too: the API answers
 * "archived" only after the Gateways could know. Bounded: a lost echo (the
 * channel is down) delays the answer by ECHO_TIMEOUT_MS at most.
 */
export function createEchoWaiter() {
  let sequence = 0;
  const waiting = new Map<number, () => void>();
  return {
    /** A number for the next message, and a promise settled when it is heard back (or the wait times out). */
    next(): { seq: number; echoed: Promise<void> } {
      const seq = ++sequence;
      const echoed = new Promise<void>((resolve) => {
        const timer = setTimeout(() => heard(seq), ECHO_TIMEOUT_MS);
        timer.unref();
        waiting.set(seq, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return { seq, echoed };
    },
    heard,
  };

  /** Our own message `seq` came back (or gave up on it). */
  function heard(seq: number): void {
    const resolve = waiting.get(seq);
    waiting.delete(seq);
    resolve?.();
  }
}
