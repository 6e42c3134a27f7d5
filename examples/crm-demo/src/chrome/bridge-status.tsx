import { useLocalBridge } from "@modelfaucet/react";

const TEXT = {
  detecting: "Looking for Local Bridge…",
  available: "Local Bridge on",
  unavailable: "Local Bridge off",
  blocked: "Local Bridge blocks this page",
} as const;

/** Whether the Local Bridge answers on this machine: a dot and a word in the top bar. */
export function BridgeStatus() {
  const { status, models } = useLocalBridge();
  const title =
    status === "available" ? `Models on this computer: ${models.map((model) => model.id).join(", ")}` : undefined;
  return (
    <span className="bridge-status" data-state={status} title={title}>
      <span className="dot" aria-hidden="true" />
      <span className="bridge-status-text">{TEXT[status]}</span>
    </span>
  );
}
