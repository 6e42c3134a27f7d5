import { z } from "zod";
import { auditEntrySchema } from "../developer/operations.js";
import { pageOf } from "../wire.js";

/** `GET /v1/admin/audit-log` query: newest first, optionally one developer's. */
export const auditLogQuery = z.object({
  developer_id: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(40).optional(),
});

/** One audit entry as the operator sees it: the developer's view plus whose it is. */
export const adminAuditEntrySchema = auditEntrySchema.extend({ developer_id: z.string().nullable() });

export type AdminAuditEntry = z.output<typeof adminAuditEntrySchema>;

export const auditLogPageSchema = pageOf(adminAuditEntrySchema);
