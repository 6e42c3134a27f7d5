import { backupDatabase, migrate, openDatabase, restoreDatabase, seed, type Database } from "@modelfaucet/db";
import { loadConfigOrExit } from "@modelfaucet/server-kit";

interface DbFlags {
  out?: string | undefined;
  "database-url"?: string | undefined;
  "data-dir"?: string | undefined;
}

async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfigOrExit();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.MODELFAUCET_DATA_DIR, poolMax: 2 });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** `modelfaucet db migrate|seed|backup|restore`. */
export async function dbCommand([action, ...args]: string[], flags: DbFlags): Promise<void> {
  switch (action) {
    case "migrate": {
      const result = await withDatabase((db) => migrate(db));
      say(result.applied.length ? `applied: ${result.applied.join(", ")}` : "already up to date");
      if (result.unknown.length)
        say(`note: the database has migrations this build does not know: ${result.unknown.join(", ")}`);
      return;
    }
    case "seed": {
      const { inserted } = await withDatabase((db) => seed(db));
      say(inserted ? `seeded ${inserted} rows` : "seed data already present; nothing changed");
      return;
    }
    case "backup": {
      const config = loadConfigOrExit();
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const source = config.DATABASE_URL
        ? { databaseUrl: config.DATABASE_URL }
        : { dataDir: config.MODELFAUCET_DATA_DIR };
      const file = flags.out ?? `modelfaucet-backup-${stamp}.${config.DATABASE_URL ? "dump" : "tar.gz"}`;
      const format = await backupDatabase(source, file);
      say(`backup written to ${file} (${format})`);
      return;
    }
    case "restore": {
      const [file] = args;
      if (!file) throw new Error("usage: modelfaucet db restore FILE (--database-url URL | --data-dir DIR)");
      const url = flags["database-url"];
      const dataDir = flags["data-dir"];
      if (!url === !dataDir) throw new Error("restore needs exactly one target: --database-url URL or --data-dir DIR");
      await restoreDatabase(file, url ? { databaseUrl: url } : { dataDir: dataDir! });
      say(`restored ${file} into ${url ? "the database at --database-url" : dataDir}`);
      return;
    }
    default:
      throw new Error(`unknown db action ${JSON.stringify(action ?? "")}; use migrate, seed, backup or restore`);
  }
}
