/**
 * Groups concurrent calls into batches, the way a database groups commits:
 * a call runs at once when a slot is free (one request at a time waits for
 * nothing), and calls that arrive while every slot is busy wait to go
 * together in the next batch. Under load this turns N statements and N
 * commits into one of each.
 *
 * Calls that share a key (an account row, a transfer id) never go in the same
 * batch nor in two batches at once: a batch's statement may then assume its
 * items touch distinct rows, and two batches of one process never wait on
 * each other's row locks. Calls keep their arrival order per key.
 */
/**
 * The ledger's sizes: enough items per batch to absorb a burst, and two
 * batches at once so one is being sent while the other commits — both
 * well inside a connection pool of ten.
 */
export const FAST_PATH_BATCHING = { maxBatch: 64, maxInFlight: 2 } as const;

export interface FastPathQueueOptions<Item, Result> {
  /** Most items in one batch. */
  maxBatch: number;
  /** Most batches running at once (each holds one database connection). */
  maxInFlight: number;
  keysOf(item: Item): readonly string[];
  /** One item alone. */
  runOne(item: Item): Promise<Result>;
  /**
   * Two or more items; the results in the same order. When it throws, each
   * item is run alone instead — so a batch statement may simply refuse
   * anything unusual, all or nothing.
   */
  runMany(items: readonly Item[]): Promise<Result[]>;
}

export interface FastPathQueue<Item, Result> {
  submit(item: Item): Promise<Result>;
}

interface Waiting<Item, Result> {
  item: Item;
  keys: readonly string[];
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export function createFastPathQueue<Item, Result>(
  options: FastPathQueueOptions<Item, Result>,
): FastPathQueue<Item, Result> {
  const waiting: Waiting<Item, Result>[] = [];
  const busyKeys = new Set<string>();
  let inFlight = 0;

  /** The next batch: waiting calls in arrival order, skipping any whose key is busy or already taken. */
  function takeBatch(): Waiting<Item, Result>[] {
    const batch: Waiting<Item, Result>[] = [];
    const blocked = new Set<string>();
    for (let index = 0; index < waiting.length && batch.length < options.maxBatch;) {
      const call = waiting[index]!;
      const free = call.keys.every((key) => !busyKeys.has(key) && !blocked.has(key));
      // A skipped call's keys stay blocked, so a later call never overtakes an earlier one on the same key.
      for (const key of call.keys) blocked.add(key);
      if (free) {
        batch.push(call);
        waiting.splice(index, 1);
      } else {
        index++;
      }
    }
    return batch;
  }

  async function run(batch: Waiting<Item, Result>[]): Promise<void> {
    const items = batch.map((call) => call.item);
    if (batch.length > 1) {
      let results: Result[] | undefined;
      try {
        results = await options.runMany(items);
      } catch {
        // Decided one by one below.
      }
      if (results) {
        batch.forEach((call, index) => call.resolve(results[index]!));
        return;
      }
    }
    await Promise.all(batch.map((call) => options.runOne(call.item).then(call.resolve, call.reject)));
  }

  function pump(): void {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = takeBatch();
      if (batch.length === 0) return;
      inFlight++;
      for (const call of batch) for (const key of call.keys) busyKeys.add(key);
      void run(batch).finally(() => {
        for (const call of batch) for (const key of call.keys) busyKeys.delete(key);
        inFlight--;
        pump();
      });
    }
  }

  return {
    submit(item) {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ item, keys: options.keysOf(item), resolve, reject });
        pump();
      });
    },
  };
}
