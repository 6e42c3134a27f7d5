import type { UpstreamPools } from "@modelfaucet/providers";
import type { BridgeConfig } from "../config/bridge-config.js";
import type { ReportQueue } from "../queue/report-queue.js";
import type { ReportSender } from "../queue/report-sender.js";
import type { BridgeLogger } from "./bridge-logger.js";

/** What a running bridge's request handlers share. */
export interface BridgeContext {
  config: BridgeConfig;
  /** Keep-alive connections to the local servers and the API. */
  pools: UpstreamPools;
  queue: ReportQueue;
  sender: ReportSender;
  /** Request ids of local calls under way: another call may not take one before its report is queued. */
  callsInFlight: Set<string>;
  log: BridgeLogger;
  /** Where the bridge listens (`http://127.0.0.1:8787`, …), once it does. */
  urls: string[];
}
