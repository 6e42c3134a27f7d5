import { open, readFile, rename, truncate, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * An append-only file of JSON lines, each append written and fdatasync'd
 * before its promise resolves: once `append` resolves, the records survive
 * `kill -9` and a power cut. Appends made while a write is in flight are
 * written together with one sync (group commit), so many streams ending at
 * once cost one sync, not one each. `rewrite` replaces the whole file
 * atomically (a temporary file, synced, renamed over it, the directory
 * synced), for compaction.
 *
 * One process writes a log at a time (the data directory's lock); this
 * class does not guard against two.
 */
export class ReportLog<Row extends object> {
  readonly #path: string;
  #file: FileHandle;
  /** Writes asked for and not done yet, in order; a rewrite waits for the appends before it, and appends for it. */
  #jobs: Job[] = [];
  #working: Promise<void> | undefined;

  private constructor(path: string, file: FileHandle) {
    this.#path = path;
    this.#file = file;
  }

  /**
   * Opens (creating) the log and reads its rows. A last line without its
   * newline is a write cut short by a crash — never acknowledged — and is cut
   * off; a line that is not JSON elsewhere is skipped and counted.
   */
  static async open<Row extends object>(path: string): Promise<{ log: ReportLog<Row>; rows: Row[]; skipped: number }> {
    const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    const end = text.lastIndexOf("\n") + 1;
    if (end < text.length) await truncate(path, Buffer.byteLength(text.slice(0, end)));
    const rows: Row[] = [];
    let skipped = 0;
    for (const line of text.slice(0, end).split("\n")) {
      if (line === "") continue;
      try {
        rows.push(JSON.parse(line) as Row);
      } catch {
        skipped += 1;
      }
    }
    const file = await open(path, "a", 0o600);
    if (text === "") await syncDirectory(path);
    return { log: new ReportLog<Row>(path, file), rows, skipped };
  }

  /** Appends rows durably (see the class comment). */
  append(...rows: Row[]): Promise<void> {
    return this.#enqueue(false, rows);
  }

  /** Replaces the whole log with `rows`, atomically, after the appends already asked for. */
  rewrite(rows: readonly Row[]): Promise<void> {
    return this.#enqueue(true, rows);
  }

  async close(): Promise<void> {
    await this.#working;
    await this.#file.close();
  }

  #enqueue(rewrite: boolean, rows: readonly Row[]): Promise<void> {
    const text = rows.map((row) => `${JSON.stringify(row)}\n`).join("");
    return new Promise((resolve, reject) => {
      this.#jobs.push({ rewrite, text, resolve, reject });
      this.#working ??= this.#work();
    });
  }

  async #work(): Promise<void> {
    while (this.#jobs.length > 0) {
      const next = this.#jobs.findIndex((job) => job.rewrite);
      const batch = this.#jobs.splice(0, next === 0 ? 1 : next === -1 ? this.#jobs.length : next);
      try {
        if (next === 0) await this.#replace((batch[0] as Job).text);
        else {
          await this.#file.write(batch.map((job) => job.text).join(""));
          await this.#file.datasync();
        }
        for (const job of batch) job.resolve();
      } catch (error) {
        for (const job of batch) job.reject(error);
      }
    }
    this.#working = undefined;
  }

  async #replace(text: string): Promise<void> {
    const temporary = `${this.#path}.tmp`;
    const file = await open(temporary, "w", 0o600);
    try {
      await file.writeFile(text);
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.#path);
    await syncDirectory(this.#path);
    const previous = this.#file;
    this.#file = await open(this.#path, "a", 0o600);
    await previous.close();
  }
}

interface Job {
  rewrite: boolean;
  text: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Makes a file's creation or rename durable. Not every platform can sync a directory (Windows): there it is skipped. */
async function syncDirectory(path: string): Promise<void> {
  let directory: FileHandle | undefined;
  try {
    directory = await open(dirname(path), "r");
    await directory.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL") throw error;
  } finally {
    await directory?.close();
  }
}
