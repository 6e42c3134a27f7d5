import { createHash } from "node:crypto";
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** What the dashboard's files are built from, besides the sources of the workspace packages it imports. */
const OWN_INPUTS = ["index.html", "vite.config.ts", "package.json", "public", "src/web"];

/** The workspace packages `packageDir` depends on (`workspace:` versions), with theirs, each once. */
function workspacePackages(packageDir: string, seen = new Set<string>()): Set<string> {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
    if (!version.startsWith("workspace:")) continue;
    const dir = realpathSync(join(packageDir, "node_modules", name));
    if (seen.has(dir)) continue;
    seen.add(dir);
    workspacePackages(dir, seen);
  }
  return seen;
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== "node_modules" && entry.name !== "dist")
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

/**
 * A SHA-256 over every file a production build reads that can change under
 * this repository: the dashboard's own, its workspace packages' sources and
 * manifests, and the lockfile (a new version of a library). Content, not
 * modification times, so a checkout that leaves the files as they were does
 * not cause a rebuild. ~200 small files: a few milliseconds.
 */
export function buildInputsHash(dashboardDir: string, repoRoot: string): string {
  const roots = [
    ...OWN_INPUTS.map((input) => join(dashboardDir, input)),
    ...[...workspacePackages(dashboardDir)].flatMap((dir) => [join(dir, "package.json"), join(dir, "src")]),
    join(repoRoot, "pnpm-lock.yaml"),
  ];
  const hash = createHash("sha256");
  for (const file of roots.flatMap(filesUnder).sort()) {
    // Names as well as contents: a file moved is a different build.
    hash.update(relative(repoRoot, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}
