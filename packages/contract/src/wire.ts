import { z } from "zod";

/** A moment as every response prints it: ISO 8601 in UTC (`Date.toISOString()`). */
export const timestamp = z.iso.datetime();

/** `{items}`: a list answered whole. */
export const listOf = <Item extends z.ZodType>(item: Item) => z.object({ items: z.array(item) });

/** `{items, next_cursor}`: one page, newest first; `next_cursor` is null on the last page. */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });
