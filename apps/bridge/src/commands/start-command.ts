import type { BridgeConfig } from "../config/bridge-config.js";
import { streamLogger } from "../server/bridge-logger.js";
import { startBridge } from "../server/start-bridge.js";
import { detectOnce } from "./detect-command.js";

/**
 * `start`: runs the bridge until SIGINT or SIGTERM. With `--json`, the first
 * stdout line is `{"event":"listening",…}` and log lines on stderr are JSON.
 */
export async function startCommand(config: BridgeConfig, json: boolean): Promise<void> {
  const log = streamLogger((line) => process.stderr.write(line), json);
  const bridge = await startBridge(config, log);
  const upstreams = await detectOnce(config.upstreams);
  const listening = {
    event: "listening",
    urls: bridge.urls,
    allow_origins: config.allowOrigins,
    api_url: config.apiUrl.href,
    data_dir: config.dataDir,
    upstreams: upstreams.map(({ kind, url, status, models }) => ({ kind, url, status, models: models.length })),
  };
  process.stdout.write(
    json
      ? `${JSON.stringify(listening)}\n`
      : [
          `ModelFaucet Local Bridge on ${bridge.urls.join(" and ")}`,
          ...upstreams.map(
            (found) =>
              `  ${found.kind.padEnd(10)} ${found.url.padEnd(24)} ${found.status === "available" ? `${found.models.length} model(s)` : found.status}`,
          ),
          `  browsers allowed: ${config.allowOrigins.length > 0 ? config.allowOrigins.join(", ") : "none (add --allow-origin URL)"}`,
          `  reports go to ${config.apiUrl.href}; queue in ${config.dataDir}`,
          "",
        ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await bridge.close();
}
