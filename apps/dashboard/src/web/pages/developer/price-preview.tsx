import type { CatalogModel, FeatureManifestInput } from "@modelfaucet/contract";
import {
  featurePricingSchema,
  formatUsd,
  parseUsd,
  pricingFromManifest,
  rateUsage,
  ROUTE_MODES,
  type RouteMode,
} from "@modelfaucet/core";
import { useId, useState } from "react";
import { Money } from "../../components/money.js";

/**
 * What one request would cost the user and earn the developer and the
 * platform under the pricing being edited, rated by core's `rateUsage` — the
 * function the Gateway settles with — at the model's catalog price in effect
 * now. 1,000 tokens by default, split as the developer chooses.
 */
export function PricePreview({
  pricing,
  model,
}: {
  pricing: FeatureManifestInput["pricing"];
  model: CatalogModel | undefined;
}) {
  const id = useId();
  const [inputTokens, setInputTokens] = useState("500");
  const [outputTokens, setOutputTokens] = useState("500");
  const [routeMode, setRouteMode] = useState<RouteMode>("platform");
  const charge = rate(pricing, model, routeMode, inputTokens, outputTokens);
  return (
    <section className="card preview" aria-labelledby={`${id}-title`} aria-live="polite">
      <h2 id={`${id}-title`}>Price preview</h2>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-in`}>Input tokens</label>
          <input
            id={`${id}-in`}
            inputMode="numeric"
            value={inputTokens}
            onChange={(event) => setInputTokens(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-out`}>Output tokens</label>
          <input
            id={`${id}-out`}
            inputMode="numeric"
            value={outputTokens}
            onChange={(event) => setOutputTokens(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-route`}>Route</label>
          <select
            id={`${id}-route`}
            value={routeMode}
            onChange={(event) => setRouteMode(event.target.value as RouteMode)}
          >
            {ROUTE_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {mode}
              </option>
            ))}
          </select>
        </div>
      </div>
      {"problem" in charge ? (
        <p className="muted">{charge.problem}</p>
      ) : (
        <dl className="figures" data-testid="price-preview">
          <div>
            <dt>The user pays</dt>
            <dd data-field="retail">
              <Money usd={charge.retail} />
            </dd>
          </div>
          <div>
            <dt>Provider cost</dt>
            <dd data-field="cost">
              <Money usd={charge.cost} />
            </dd>
          </div>
          <div>
            <dt>You earn</dt>
            <dd data-field="developer">
              <Money usd={charge.developer} />
            </dd>
          </div>
          <div>
            <dt>The platform earns</dt>
            <dd data-field="platform">
              <Money usd={charge.platform} />
            </dd>
          </div>
        </dl>
      )}
      {model && (
        <p className="muted">
          {model.id}: {model.input_usd_per_mtok} USD per 1M input tokens, {model.output_usd_per_mtok} per 1M output
          tokens (catalog price in effect now).
        </p>
      )}
    </section>
  );
}

type Charge = { retail: string; cost: string; developer: string; platform: string } | { problem: string };

function rate(
  pricing: FeatureManifestInput["pricing"],
  model: CatalogModel | undefined,
  routeMode: RouteMode,
  inputText: string,
  outputText: string,
): Charge {
  if (!model) return { problem: "Choose a default model from the catalog to see a price." };
  const inputTokens = Number(inputText);
  const outputTokens = Number(outputText);
  if (![inputTokens, outputTokens].every((count) => Number.isSafeInteger(count) && count >= 0)) {
    return { problem: "Token counts must be whole numbers." };
  }
  const parsed = featurePricingSchema.safeParse(pricing);
  if (!parsed.success) return { problem: `Fix the pricing to see a price: ${parsed.error.issues[0]?.message ?? ""}` };
  const charge = rateUsage({
    usage: { inputTokens, cachedInputTokens: 0, outputTokens },
    price: {
      inputUnitsPerMTok: parseUsd(model.input_usd_per_mtok),
      cachedInputUnitsPerMTok: parseUsd(model.cached_input_usd_per_mtok),
      outputUnitsPerMTok: parseUsd(model.output_usd_per_mtok),
    },
    pricing: pricingFromManifest(parsed.data),
    routeMode,
  });
  return {
    retail: formatUsd(charge.retail),
    cost: formatUsd(charge.cost),
    developer: formatUsd(charge.developer),
    platform: formatUsd(charge.platform),
  };
}
