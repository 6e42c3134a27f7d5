/**
 * Fakes for the bridge's tests: local model servers (Ollama, llama.cpp
 * server) and the Control API's local-metering endpoints. Never bundled.
 */
export * from "./fake-local-server.js";
export * from "./fake-control-api.js";
export * from "./bridge-fixture.js";
