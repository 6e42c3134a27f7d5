import { z } from "zod";
import { WALLET_ID } from "../ids.js";

/** `:id` of the admin wallet routes: an end user's wallet (`usr_…`). */
export const walletParams = z.object({
  id: z.string().regex(WALLET_ID, { error: "not a wallet id (usr_…)" }),
});
