/**
 * Test servers speaking each provider's wire format (fixture replay), for
 * tests outside this package: `@modelfaucet/providers/testing`. Never
 * imported by production code.
 */
export {
  readFixtureText as anthropicFixture,
  readJsonFixture as anthropicJsonFixture,
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeAnthropicReply,
  type FakeAnthropicRequest,
} from "../anthropic/start-fake-anthropic.js";
export {
  geminiFixture,
  sendEvents,
  sendJson,
  startFakeGemini,
  type FakeGemini,
  type FakeGeminiRequest,
} from "../gemini/start-fake-gemini.js";
export { startScriptedUpstream, type ScriptedRequest, type ScriptedUpstream } from "./scripted-upstream.js";
