/**
 * `policy.model_policy`: what `model: "auto:<feature>"` means.
 *
 * - `cheapest_sufficient` (the manifest default): the model whose worst-case
 *   charge for this very request is lowest among those that fit it — context
 *   window, output limit and capabilities — on a route the session can use
 *   (chooseCheapestModel);
 * - `default_model`: always `policy.default_model`, whatever the request.
 */
export const MODEL_POLICIES = ["cheapest_sufficient", "default_model"] as const;

export type ModelPolicy = (typeof MODEL_POLICIES)[number];
