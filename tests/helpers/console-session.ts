import { DEVELOPER_SCOPES, type DeveloperScope } from "@modelfaucet/contract";
import type { FastifyInstance } from "fastify";
import { ADMIN_TOKEN } from "./services.js";

/** A dashboard sign-in as a test holds it: the cookie to send back and the CSRF token. */
export interface SignedIn {
  cookie: string;
  csrf: string;
  setCookie: string;
  body: Record<string, unknown>;
}

/** Signs in at POST /v1/console/sessions through `inject`; throws unless it answers 201. */
export async function signIn(api: FastifyInstance, token: string): Promise<SignedIn> {
  const response = await api.inject({ method: "POST", url: "/v1/console/sessions", payload: { token } });
  if (response.statusCode !== 201) throw new Error(`sign-in: ${response.statusCode} ${response.body}`);
  const setCookie = String(response.headers["set-cookie"]);
  const body = response.json<Record<string, unknown>>();
  return { cookie: setCookie.split(";")[0]!, csrf: body.csrf_token as string, setCookie, body };
}

/** A new developer (registered with ADMIN_TOKEN) and an `mf_dev_` token of theirs with `scopes`. */
export async function developerWithToken(
  api: FastifyInstance,
  developerAdminToken: string,
  label: string,
  scopes: readonly DeveloperScope[] = DEVELOPER_SCOPES,
): Promise<{ developerId: string; token: string; tokenId: string }> {
  const developer = await api.inject({
    method: "POST",
    url: "/v1/admin/developers",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { name: `Developer ${label}`, email: `${label.toLowerCase()}-${Date.now()}@example.com` },
  });
  if (developer.statusCode !== 201) throw new Error(`developer: ${developer.statusCode} ${developer.body}`);
  const developerId = developer.json<{ id: string }>().id;
  const token = await api.inject({
    method: "POST",
    url: "/v1/developer/tokens",
    headers: { authorization: `Bearer ${developerAdminToken}` },
    payload: { developer_id: developerId, name: `${label} console`, scopes },
  });
  if (token.statusCode !== 201) throw new Error(`token: ${token.statusCode} ${token.body}`);
  const created = token.json<{ id: string; token: string }>();
  return { developerId, token: created.token, tokenId: created.id };
}
