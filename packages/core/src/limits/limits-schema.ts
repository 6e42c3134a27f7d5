import { z } from "zod";

import { fieldMessage, objectMessage } from "../manifest/field-message.js";
import { usdStringSchema } from "../money/usd-schema.js";

/** Longest rolling window a budget may span: 31 days, in hours. */
export const MAX_ROLLING_WINDOW_HOURS = 744;

/** Most budgets one feature or one app may carry: each is checked on every request it applies to. */
export const MAX_BUDGETS = 8;

/** Ceilings of the per-end-user rates: a limit above them is no limit and is refused as a typo. */
export const MAX_REQUESTS_PER_MINUTE = 100_000;
export const MAX_TOKENS_PER_MINUTE = 1_000_000_000;

/** Largest token budget: well inside a PostgreSQL bigint and a JS safe integer. */
export const MAX_BUDGET_TOKENS = 1_000_000_000_000;

/**
 * Who a budget counts: `end_user` — each end user on their own; `feature` —
 * every end user of one feature together; `app` — every end user of the app.
 * A feature's policy may hold `end_user` and `feature` budgets, an app's
 * limits `end_user` and `app` budgets.
 */
export const BUDGET_SCOPES = ["end_user", "feature", "app"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

/**
 * The period a budget counts over: `day` and `month` are calendar periods
 * in UTC that reset at their start; `rolling` is the last `window_hours`
 * hours, counted in whole hours (an hour's spending leaves the window when
 * that hour is `window_hours` old).
 */
export const BUDGET_PERIODS = ["day", "month", "rolling"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

const positiveInt = (field: string, max: number) =>
  z
    .number({ error: fieldMessage(field, "an integer") })
    .int({ error: `${field} must be an integer` })
    .min(1, { error: `${field} must be from 1 to ${max}` })
    .max(max, { error: `${field} must be from 1 to ${max}` });

const budgetSchema = (field: string) =>
  z
    .strictObject(
      {
        scope: z.enum(BUDGET_SCOPES, { error: `${field}[].scope must be one of ${BUDGET_SCOPES.join(", ")}` }),
        period: z.enum(BUDGET_PERIODS, { error: `${field}[].period must be one of ${BUDGET_PERIODS.join(", ")}` }),
        window_hours: positiveInt(`${field}[].window_hours`, MAX_ROLLING_WINDOW_HOURS).optional(),
        // What end users are charged (retail), in USD; "0" allows only requests that cost nothing.
        max_usd: usdStringSchema({ field: `${field}[].max_usd` }).optional(),
        // Input plus output tokens.
        max_tokens: z
          .number({ error: fieldMessage(`${field}[].max_tokens`, "an integer") })
          .int({ error: `${field}[].max_tokens must be an integer` })
          .min(0, { error: `${field}[].max_tokens must be from 0 to ${MAX_BUDGET_TOKENS}` })
          .max(MAX_BUDGET_TOKENS, { error: `${field}[].max_tokens must be from 0 to ${MAX_BUDGET_TOKENS}` })
          .optional(),
      },
      { error: objectMessage(`${field}[]`) },
    )
    .refine((budget) => budget.max_usd !== undefined || budget.max_tokens !== undefined, {
      error: `${field}[] needs max_usd, max_tokens or both`,
    })
    .refine((budget) => (budget.period === "rolling") === (budget.window_hours !== undefined), {
      error: `${field}[].window_hours is required for period "rolling" and only for it`,
    });

export type Budget = z.output<ReturnType<typeof budgetSchema>>;

/**
 * Spending and rate limits. `budgets` are enforced through holds (a request
 * that could break one is 402 `budget_exceeded` before upstream);
 * `requests_per_minute` and `tokens_per_minute` apply to each end user (429
 * `rate_limited` with Retry-After), one count across every Gateway instance
 * when Redis is configured.
 */
function limitsSchema(allowedScopes: readonly BudgetScope[], field: string) {
  return z.strictObject(
    {
      budgets: z
        .array(budgetSchema(`${field}.budgets`), { error: fieldMessage(`${field}.budgets`, "an array of budgets") })
        .max(MAX_BUDGETS, { error: `${field}.budgets may hold at most ${MAX_BUDGETS} budgets` })
        .refine((budgets) => budgets.every((budget) => allowedScopes.includes(budget.scope)), {
          error: `${field}.budgets[].scope must be one of ${allowedScopes.join(", ")} here`,
        })
        .optional(),
      requests_per_minute: positiveInt(`${field}.requests_per_minute`, MAX_REQUESTS_PER_MINUTE).optional(),
      tokens_per_minute: positiveInt(`${field}.tokens_per_minute`, MAX_TOKENS_PER_MINUTE).optional(),
    },
    { error: objectMessage(field) },
  );
}

/** `policy.limits` of a feature manifest: budgets per end user or for the whole feature, and per-user rates. */
export const featureLimitsSchema = limitsSchema(["end_user", "feature"], "policy.limits");

/** An app's `limits` (developer API): budgets per end user across the app or for the whole app, and per-user rates. */
export const appLimitsSchema = limitsSchema(["end_user", "app"], "limits");

export type Limits = z.output<typeof featureLimitsSchema>;
