import { createRequire } from "node:module";

// This file sits one level below the package root both as source (src/) and
// bundled (dist/), so the package's own manifest is one directory up.
const manifest = createRequire(import.meta.url)("../package.json") as { version: string };

/** The bridge's version, as published. */
export const BRIDGE_VERSION = manifest.version;
