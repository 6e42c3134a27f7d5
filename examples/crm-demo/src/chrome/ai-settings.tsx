import { ByokKeyForm, RouteModePicker, useLocalBridge } from "@modelfaucet/react";
import { useEffect, useRef } from "react";
import { useAiRoute } from "../ai/ai-route.js";

/**
 * The AI settings drawer: which route the CRM's AI features take, the
 * user's own provider keys (BYOK), and the Local Bridge on this computer.
 */
export function AiSettings({ onClose }: { onClose(): void }) {
  const { route, setRoute, availableModes } = useAiRoute();
  const bridge = useLocalBridge();
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <aside className="drawer" role="dialog" aria-label="AI settings" tabIndex={-1} ref={panel}>
      <div className="drawer-head">
        <h2>AI settings</h2>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <section className="drawer-section">
        <p className="hint">Where drafts, summaries, extractions and searches run.</p>
        <RouteModePicker className="route-picker" availableModes={availableModes} value={route} onChange={setRoute} />
      </section>
      <section className="drawer-section">
        <h3>Your own key</h3>
        <p className="hint">
          Requests on your key cost you only the app&apos;s small, shown fee: the provider bills you directly.
        </p>
        <ByokKeyForm className="byok-form" providers={["openai", "openai_compatible", "anthropic", "openrouter"]} />
      </section>
      <section className="drawer-section">
        <h3>Local Bridge</h3>
        {bridge.status === "available" ? (
          <p>
            Running. Models on this computer:{" "}
            {bridge.models.map((model) => (
              <code key={model.id}>{model.id} </code>
            ))}
          </p>
        ) : (
          <p className="hint">
            {bridge.status === "blocked"
              ? "The bridge runs but does not allow this page. Start it with this page's origin allowed:"
              : "Not found on this computer. Run a local model (Ollama, LM Studio, vLLM, llama.cpp) and the bridge next to it:"}{" "}
            <code>modelfaucet-bridge start --allow-origin {window.location.origin}</code>
          </p>
        )}
        <button type="button" className="button button-quiet" onClick={() => void bridge.refresh()}>
          Look again
        </button>
      </section>
    </aside>
  );
}
