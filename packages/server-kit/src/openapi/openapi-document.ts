import { errorEnvelopeSchema } from "@modelfaucet/contract";
import { z } from "zod";
import type { RouteAuth, RouteContract } from "./route-contract.js";

/** A route as Fastify registered it, with the contract it declared (if any). */
export interface RegisteredRoute {
  method: string;
  url: string;
  contract: RouteContract | undefined;
}

export interface DocumentInfo {
  title: string;
  description?: string;
}

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

/** OpenAPI 3.1 schema objects are JSON Schema draft 2020-12. */
const OPENAPI_VERSION = "3.1.0";

const SECURITY_SCHEMES = {
  session: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "mf_sess_…",
    description: "An end user's session token, minted by POST /v1/sessions on the Control API.",
  },
  developerToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "mf_dev_…",
    description:
      "A scoped developer token (developer:apps:read|write, developer:features:read|write, " +
      "developer:operations:read, developer:provider_keys:read|write, developer:tokens:read|write), " +
      "or DEVELOPER_ADMIN_TOKEN, which acts for the developer named by developer_id.",
  },
  adminToken: { type: "http", scheme: "bearer", description: "The operator's ADMIN_TOKEN." },
  appSecretKey: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "mf_app_sk_…",
    description: "A signed app's secret key (or a user assertion made with it, in the body).",
  },
  stripeSignature: { type: "apiKey", in: "header", name: "Stripe-Signature", description: "Stripe's signature." },
  consoleCookie: {
    type: "apiKey",
    in: "cookie",
    name: "mf_console",
    description:
      "The dashboard's session (POST /v1/console/sessions); unsafe methods also need its x-csrf-token. " +
      "Developer and admin routes accept it in place of the token it was opened with.",
  },
  localTicket: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "mf_lt_…",
    description: "A local ticket (POST /v1/local/tickets): the Local Bridge reports one call's usage with it.",
  },
} as const;

type SchemeName = keyof typeof SECURITY_SCHEMES;

/** Each auth as alternatives of schemes; `{}` makes a scheme optional (a `public` app needs none). */
const SECURITY: Record<RouteAuth, Array<Partial<Record<SchemeName, []>>>> = {
  none: [],
  session: [{ session: [] }],
  session_or_developer: [{ session: [] }, { developerToken: [] }],
  developer: [{ developerToken: [] }],
  admin: [{ adminToken: [] }],
  app: [{}, { appSecretKey: [] }],
  stripe_signature: [{ stripeSignature: [] }],
  console: [{ consoleCookie: [] }],
  local_ticket: [{ localTicket: [] }],
};

const ERROR_RESPONSE = { $ref: "#/components/responses/Error" };
const REQUEST_ID_HEADER = { $ref: "#/components/headers/RequestId" };

/** A zod schema as a JSON Schema for a request (`input`: what may be sent) or a response (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    // A transform's output or a refinement has no JSON Schema: documented as what it accepts.
    unrepresentable: "any",
    // A format (date-time, email) says what the generated pattern spells out at length.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format !== undefined) delete jsonSchema.pattern;
    },
  });
  return rest;
}

/** `/v1/apps/:publicAppId/usage` → `/v1/apps/{publicAppId}/usage`; a wildcard takes the params name not in the path. */
function openApiPath(url: string, params: JsonSchema | undefined): string {
  const named = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
  const rest = Object.keys((params?.properties as JsonSchema | undefined) ?? {}).find((name) => !named.includes(name));
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\*$/, `{${rest ?? "path"}}`);
}

function parameters(schema: JsonSchema | undefined, location: "path" | "query") {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

function requestBody(contract: RouteContract) {
  if (!contract.body) return undefined;
  const schema = jsonSchemaOf(contract.body, "input");
  const mediaTypes = ["application/json", ...(contract.bodyTypes ?? [])];
  return {
    // A body schema that accepts nothing at all (a default) makes the body optional.
    required: !contract.body.safeParse(undefined).success,
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])),
  };
}

function successContent(contract: RouteContract) {
  const content: Record<string, { schema: JsonSchema }> = {};
  if (contract.response) content["application/json"] = { schema: jsonSchemaOf(contract.response, "output") };
  if (contract.eventStream) content["text/event-stream"] = { schema: jsonSchemaOf(contract.eventStream, "output") };
  if (contract.textType) content[contract.textType] = { schema: { type: "string" } };
  return content;
}

function operation(route: RegisteredRoute & { contract: RouteContract }, params: JsonSchema | undefined): Operation {
  const { contract } = route;
  const status = String(contract.status ?? 200);
  const content = successContent(contract);
  const query = contract.query ? jsonSchemaOf(contract.query, "input") : undefined;
  const body = requestBody(contract);
  return {
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    security: SECURITY[contract.auth],
    parameters: [...parameters(params, "path"), ...parameters(query, "query")],
    ...(body ? { requestBody: body } : {}),
    responses: {
      [status]: {
        description: status === "201" ? "Created." : "OK.",
        headers: { "x-request-id": REQUEST_ID_HEADER },
        ...(Object.keys(content).length > 0 ? { content } : {}),
      },
      "4XX": ERROR_RESPONSE,
      "5XX": ERROR_RESPONSE,
    },
  };
}

/**
 * The OpenAPI 3.1 document of a service: one operation per registered route
 * that declared a contract (HEAD twins of GET routes and hidden routes, such
 * as CORS preflight, are left out by the caller), every failure answered with
 * the error envelope, and only the security schemes its routes use.
 */
export function openApiDocument(info: DocumentInfo, routes: readonly RegisteredRoute[]): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  const schemes = new Set<SchemeName>();
  for (const route of routes) {
    if (!route.contract) continue;
    const params = route.contract.params ? jsonSchemaOf(route.contract.params, "input") : undefined;
    const path = openApiPath(route.url, params);
    const operations = (paths[path] ??= {});
    operations[route.method.toLowerCase()] = operation({ ...route, contract: route.contract }, params);
    for (const alternative of SECURITY[route.contract.auth]) {
      for (const name of Object.keys(alternative) as SchemeName[]) schemes.add(name);
    }
  }
  return {
    openapi: OPENAPI_VERSION,
    info: { title: info.title, version: "v1", ...(info.description ? { description: info.description } : {}) },
    paths,
    components: {
      schemas: { ErrorEnvelope: jsonSchemaOf(errorEnvelopeSchema, "output") },
      responses: {
        Error: {
          description: "The error envelope; `code` is stable, `message` safe to show.",
          headers: { "x-request-id": REQUEST_ID_HEADER },
          content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } },
        },
      },
      headers: {
        RequestId: {
          description: "The caller's x-request-id if it sent a sane one (printable, ≤ 128 characters), else req_….",
          schema: { type: "string" },
        },
      },
      securitySchemes: Object.fromEntries([...schemes].sort().map((name) => [name, SECURITY_SCHEMES[name]])),
    },
  };
}
