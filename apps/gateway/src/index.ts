export { buildGateway, GATEWAY_SERVICE, type GatewayDeps, type GatewayReliabilityOptions } from "./build-gateway.js";
export type { GatewayTracingOptions } from "./telemetry/gateway-telemetry.js";
