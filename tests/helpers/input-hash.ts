import { createHash } from "node:crypto";
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "./processes.js";

/**
 * `packageDir` and the workspace packages it uses, each once: dependencies
 * and devDependencies alike, since a build may bundle a dev dependency
 * (the bridge's tsup build does) or type against it (React against the SDK).
 */
export function workspaceClosure(packageDir: string, seen = new Set<string>()): string[] {
  seen.add(realpathSync(packageDir));
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (!version.startsWith("workspace:")) continue;
    const dir = realpathSync(join(packageDir, "node_modules", name));
    if (!seen.has(dir)) workspaceClosure(dir, seen);
  }
  return [...seen];
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== "node_modules" && entry.name !== "dist")
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

/**
 * A SHA-256 (hex, shortened) over the names and contents of every file under
 * `roots` (their node_modules and dist skipped), the lockfile and the root
 * tsconfig the package builds extend, and `extra` strings: whatever a build
 * or an install made from these inputs would differ by. Contents, not
 * modification times, so a fresh clone of the same commit hashes the same.
 */
export function inputsHash(roots: string[], extra: string[] = []): string {
  const hash = createHash("sha256");
  const files = [...roots, join(REPO_ROOT, "pnpm-lock.yaml"), join(REPO_ROOT, "tsconfig.json")].flatMap(filesUnder);
  for (const file of [...new Set(files)].sort()) {
    hash.update(relative(REPO_ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  for (const value of extra) hash.update(value).update("\0");
  return hash.digest("hex").slice(0, 24);
}
