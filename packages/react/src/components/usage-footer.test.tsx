// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatMessage } from "../chat/chat-message.js";
import { UsageFooter } from "./usage-footer.js";

afterEach(cleanup);

const ANSWER: ChatMessage = { id: "a1", role: "assistant", content: "Hi", request_id: "req_1" };
const USAGE = { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, cost: 0.00001234 };

function footer(message: ChatMessage) {
  const { container } = render(<UsageFooter message={message} className="usage" />);
  return container.querySelector("p");
}

describe("UsageFooter", () => {
  it("says the tokens, exact cost and route of a settled answer", () => {
    const shown = footer({
      ...ANSWER,
      usage: USAGE,
      price_usd: "0.00001234",
      route_mode: "byok",
      finish_reason: "stop",
    });
    expect(shown!.textContent).toBe("9 in, 3 out · $0.00001234 · Your own key");
    expect(shown!.dataset.state).toBe("complete");
    expect(shown!.className).toBe("usage");
  });

  it("marks a stopped answer, billed for what arrived", () => {
    const shown = footer({
      ...ANSWER,
      usage: USAGE,
      price_usd: "0.00000500",
      route_mode: "platform",
      finish_reason: "aborted",
    });
    expect(shown!.textContent).toBe("9 in, 3 out · $0.000005 · Platform credits · stopped");
    expect(shown!.dataset.state).toBe("stopped");
  });

  it("waits while the answer streams, and says when its bill could not be read", () => {
    expect(footer(ANSWER)!.dataset.state).toBe("pending");
    cleanup();
    const unknown = footer({ ...ANSWER, usage: null, price_usd: null, route_mode: null, finish_reason: "aborted" });
    expect(unknown!.textContent).toBe("tokens unknown · cost unknown · stopped");
    expect(unknown!.dataset.state).toBe("unknown");
  });

  it("shows nothing under the user's own turns", () => {
    expect(footer({ id: "u1", role: "user", content: "Hello" })).toBeNull();
  });
});
