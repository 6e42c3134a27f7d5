import { z } from "zod";
import { listOf, timestamp } from "../wire.js";

/** `POST /v1/admin/developers`: a developer registered by the operator (one per email). */
export const createDeveloperBody = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
});

export type CreateDeveloperRequest = z.input<typeof createDeveloperBody>;

/** `GET /v1/admin/developers` query: oldest first. */
export const adminDevelopersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const developerSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  status: z.string(),
  created_at: timestamp,
});

export type Developer = z.output<typeof developerSchema>;

export const developerListSchema = listOf(developerSchema);
