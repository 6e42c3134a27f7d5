import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { cachedDirectory } from "./cached-directory.js";
import { inputsHash, workspaceClosure } from "./input-hash.js";
import { REPO_ROOT } from "./processes.js";

const run = promisify(execFile);

/** The publishable packages, as the package tests get them: by `npm pack` of their builds. */
const PACKAGES = {
  sdk: { name: "@modelfaucet/sdk", dir: join(REPO_ROOT, "packages/sdk") },
  react: { name: "@modelfaucet/react", dir: join(REPO_ROOT, "packages/react") },
  bridge: { name: "@modelfaucet/bridge", dir: join(REPO_ROOT, "apps/bridge") },
} as const;
export type PackedName = keyof typeof PACKAGES;

export interface PackedPackage {
  /** The .tgz, in the shared cache: read it, never change it. */
  tarball: string;
  /** The paths inside it, as `npm pack --json` lists them. */
  files: string[];
}
export type PackedSet = Record<PackedName, PackedPackage>;

let packs: Promise<{ hash: string; set: PackedSet }> | undefined;

/**
 * Every publishable package built and packed with npm from the current
 * sources. One set per inputs hash, made by whichever test file asks first
 * (building all three at once, since the React build types against the SDK's
 * dist/ and a second build would replace dist/ under a running pack), and
 * reused by the other files and by later runs (CI's second pass).
 */
export function packedPackages(): Promise<{ hash: string; set: PackedSet }> {
  packs ??= (async () => {
    const hash = inputsHash(Object.values(PACKAGES).flatMap((pkg) => workspaceClosure(pkg.dir)));
    const dir = await cachedDirectory(`packs-${hash}`, async (into) => {
      const filters = Object.values(PACKAGES).flatMap((pkg) => ["--filter", pkg.name]);
      await run("pnpm", [...filters, "build"], { cwd: REPO_ROOT });
      const set: Record<string, { filename: string; files: string[] }> = {};
      for (const [key, pkg] of Object.entries(PACKAGES)) {
        const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", into], { cwd: pkg.dir });
        const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
        set[key] = { filename: packed!.filename, files: packed!.files.map((file) => file.path) };
      }
      await writeFile(join(into, "packs.json"), JSON.stringify(set));
    });
    const listed = JSON.parse(await readFile(join(dir, "packs.json"), "utf8")) as Record<
      PackedName,
      { filename: string; files: string[] }
    >;
    const set = Object.fromEntries(
      Object.entries(listed).map(([key, packed]) => [
        key,
        { tarball: join(dir, packed.filename), files: packed.files },
      ]),
    ) as PackedSet;
    return { hash, set };
  })();
  return packs;
}

/**
 * A new, empty npm project under the OS temp directory — outside the
 * workspace, so nothing of it can be found — with `packages` installed from
 * their tarballs by `npm install`, and `registryPackages` (e.g.
 * "react@^19.3.1") from the registry. The install is made once per tarball
 * set and list, in the shared cache; each call gets a directory of its own
 * (for its scripts and builds) holding the project's package.json and a
 * link to the installed node_modules, which it must not change. Remove the
 * directory when done (the link goes, the install stays).
 */
export async function installedProject(
  projectName: string,
  packages: PackedName[],
  registryPackages: string[] = [],
): Promise<string> {
  const { hash, set } = await packedPackages();
  const specs = [...packages.map((name) => set[name].tarball), ...registryPackages];
  // The day is part of the key: registry packages (and the tarballs' own ranges) are resolved afresh daily.
  const day = new Date().toISOString().slice(0, 10);
  const key = inputsHash([], [hash, projectName, process.version, day, ...specs]);
  const installed = await cachedDirectory(`install-${key}`, async (into) => {
    await writeFile(join(into, "package.json"), JSON.stringify({ name: projectName, private: true, type: "module" }));
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...specs], { cwd: into });
  });
  const project = await mkdtemp(join(tmpdir(), `${projectName}-`));
  await copyFile(join(installed, "package.json"), join(project, "package.json"));
  await symlink(join(installed, "node_modules"), join(project, "node_modules"), "dir");
  return project;
}
