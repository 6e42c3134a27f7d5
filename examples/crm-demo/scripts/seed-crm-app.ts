import { CRM_FEATURE_MANIFESTS } from "./crm-features.js";

/** The CRM's app on ModelFaucet: its public id and the secret key its backend mints sessions with. */
export interface CrmApp {
  publicAppId: string;
  secretKey: string;
}

export interface SeedOptions {
  /** The Control API's origin. */
  apiUrl: string;
  /** A developer token (or the bootstrap DEVELOPER_ADMIN_TOKEN) allowed to write apps and features. */
  developerToken: string;
  /** The developer who owns the app. */
  developerId: string;
  /** The app an earlier run made: kept if it is still active, so its usage history stays in one place. */
  previous?: CrmApp | undefined;
}

export const CRM_APP_NAME = "Parcelly CRM (demo)";

/**
 * Makes sure the CRM's app exists, signed (only its backend mints
 * sessions), with the four features exactly as CRM_FEATURE_MANIFESTS says
 * — created, or brought back in line with a JSON Merge Patch. Talks to the
 * Control API only, as a developer's own tooling would.
 */
export async function seedCrmApp(options: SeedOptions): Promise<CrmApp> {
  const call = async (method: string, path: string, body?: unknown, contentType = "application/json") => {
    const response = await fetch(`${options.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.developerToken}`,
        ...(body === undefined ? {} : { "content-type": contentType }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };

  const listed = await call("GET", `/v1/developer/apps?developer_id=${encodeURIComponent(options.developerId)}`);
  const apps = listed.items as Array<{ public_app_id: string; status: string }>;
  const kept = apps.some((app) => app.public_app_id === options.previous?.publicAppId && app.status === "active");
  let app = kept ? options.previous! : undefined;
  if (!app) {
    const created = await call("POST", "/v1/developer/apps", {
      developer_id: options.developerId,
      name: CRM_APP_NAME,
      session_mode: "signed",
    });
    const publicAppId = created.public_app_id as string;
    const key = await call("POST", `/v1/developer/apps/${publicAppId}/secret-keys`);
    app = { publicAppId, secretKey: key.secret_key as string };
  }

  const features = await call("GET", `/v1/developer/apps/${app.publicAppId}/features`);
  const existing = new Set((features.items as Array<{ feature_key: string }>).map((feature) => feature.feature_key));
  for (const manifest of CRM_FEATURE_MANIFESTS) {
    if (existing.has(manifest.feature_key)) {
      const path = `/v1/developer/apps/${app.publicAppId}/features/${manifest.feature_key}`;
      await call("PATCH", path, manifest, "application/merge-patch+json");
    } else {
      await call("POST", `/v1/developer/apps/${app.publicAppId}/features`, manifest);
    }
  }
  return app;
}
