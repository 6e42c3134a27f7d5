import { MODEL_POLICIES } from "@modelfaucet/core";
import { z } from "zod";

/**
 * Why the Gateway picked the answer's model, when the request let the
 * feature's `model_policy` choose (`model: "auto:<feature>"` under
 * `cheapest_sufficient`): `reason` in words (how many models fit how many
 * prompt and output tokens, with which capabilities), `candidates` how many
 * models fit the request, `considered` how many the feature may use on a
 * route this session can take. Absent when the request named its model or
 * the policy is `default_model`.
 */
export const modelChoiceSchema = z.object({
  policy: z.enum(MODEL_POLICIES),
  reason: z.string(),
  candidates: z.number().int(),
  considered: z.number().int(),
});

export type ModelChoice = z.output<typeof modelChoiceSchema>;
