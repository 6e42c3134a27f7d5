import { AppError } from "@modelfaucet/core";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

// The header is echoed in the message, cut to this length.
const MAX_ECHOED_ENCODING = 40;

const carriesBody = (headers: Record<string, string | string[] | undefined>) =>
  headers["transfer-encoding"] !== undefined ||
  (headers["content-length"] !== undefined && headers["content-length"] !== "0");

/**
 * Bodies are read as sent, never decompressed (a decompressed size would need
 * a limit of its own): a body with a Content-Encoding other than `identity`
 * is 415, instead of a JSON parse error that blames the caller's JSON.
 */
export const contentEncodingPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook("onRequest", async (request) => {
      const encoding = request.headers["content-encoding"]?.trim();
      if (!encoding || encoding.toLowerCase() === "identity" || !carriesBody(request.headers)) return;
      throw new AppError(
        "unsupported_media_type",
        `Unsupported Content-Encoding "${encoding.slice(0, MAX_ECHOED_ENCODING)}"; send the body uncompressed.`,
      );
    });
  },
  { name: "modelfaucet-content-encoding" },
);
