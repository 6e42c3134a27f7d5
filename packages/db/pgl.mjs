import { PGlite } from "@electric-sql/pglite";
const t0 = Date.now();
const db = await PGlite.create();
console.log("create", Date.now() - t0);
await db.exec(`select pg_advisory_xact_lock(42); create table t(id int); insert into t values (1);
create function nope() returns trigger language plpgsql as $$ begin raise exception 'append-only'; end $$;
create trigger t_no before update or delete on t for each row execute function nope();`);
try {
  await db.query("delete from t");
} catch (e) {
  console.log("trigger ok", e.message);
}
const r = await db.query("select 1::numeric(38,0) as n, 2::bigint as b, now() as ts");
console.log(r.rows, typeof r.rows[0].b);
let t1 = Date.now();
const dump = await db.dumpDataDir("gzip");
console.log("dump", Date.now() - t1, dump.size, dump.constructor.name);
t1 = Date.now();
const db2 = await PGlite.create({ loadDataDir: dump });
console.log("load", Date.now() - t1, (await db2.query("select * from t")).rows);
console.log(process.memoryUsage().rss / 1e6);
