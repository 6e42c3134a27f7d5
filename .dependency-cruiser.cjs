// Dependency rules of the workspace (DESIGN.md, "Layout"): `pnpm lint:deps`.

/**
 * The packages in DESIGN.md's layout order, lowest first: a package may import
 * only packages before it in this list. Names not in the tree yet are future
 * packages, checked as soon as they exist.
 */
const LAYERS = [
  "core",
  "contract",
  "crypto",
  "db",
  "server-kit",
  "providers",
  "ledger",
  "store",
  "billing",
  "sdk",
  "react",
];

/**
 * `modelfaucet start` (and `smoke`, which boots the same stack) runs the API,
 * Gateway and worker in one process on one embedded database, which only one
 * process may open: so these two commands are the one place that composes
 * apps. They may import another app's public entry (`src/index.ts`), nothing
 * deeper; every other app imports packages only.
 */
const COMPOSITION_ROOT = "^apps/cli/src/commands/(start|smoke)\\.ts$";

/** Browser-safe packages: no Node built-in (`node:*` or bare `fs`, `crypto`, …). */
const BROWSER_SAFE = ["core", "contract"];

const layerRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer}`,
  comment: `packages/${layer} may import only packages below it in DESIGN.md's layout: ${LAYERS.slice(0, index).join(", ") || "none"}.`,
  severity: "error",
  from: { path: `^packages/${layer}/` },
  to: { path: `^packages/(${LAYERS.slice(index + 1).join("|")})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A module reaches itself through its imports.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-package-imports-app",
      comment: "Apps compose packages; a package never imports an app.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "no-app-imports-app",
      comment: "An app imports packages only, never another app.",
      severity: "error",
      from: { path: "^apps/([^/]+)/", pathNot: COMPOSITION_ROOT },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "composition-root-uses-entry-points",
      comment: "The one-process runner composes the services through their public entry points only.",
      severity: "error",
      from: { path: COMPOSITION_ROOT },
      to: { path: "^apps/", pathNot: ["^apps/cli/", "^apps/[^/]+/src/index\\.ts$"] },
    },
    {
      name: "browser-safe-no-node",
      comment: `${BROWSER_SAFE.join(" and ")} run in browsers: no Node built-in modules (their tests run in Node).`,
      severity: "error",
      from: { path: `^packages/(${BROWSER_SAFE.join("|")})/`, pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "example-uses-published-entries",
      comment:
        "An example is an app a developer could write outside this repo: it imports only what is published " +
        "(@modelfaucet/sdk, @modelfaucet/sdk/server, @modelfaucet/sdk/errors, @modelfaucet/react, @modelfaucet/bridge), " +
        "through their package entries, never another module of the workspace.",
      severity: "error",
      from: { path: "^examples/([^/]+)/" },
      to: {
        path: "^(apps|packages|tests|scripts|examples)/",
        pathNot: [
          "^examples/$1/",
          "^packages/sdk/(src|dist)/(index|server|errors)\\.(ts|js|d\\.ts)$",
          "^packages/react/(src|dist)/index\\.(ts|js|d\\.ts)$",
          "^apps/bridge/(src|dist)/index\\.(ts|js|d\\.ts)$",
        ],
      },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Build output (packages' and apps' dist/) is generated from the sources checked here.
    exclude: { path: "(^|/)dist/" },
    // TypeScript's resolution (tsconfig.json: NodeNext), so `./x.js` finds `./x.ts`; type-only imports count too.
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
    skipAnalysisNotInRules: true,
  },
};
