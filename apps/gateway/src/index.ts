export { buildGateway, GATEWAY_SERVICE, type GatewayDeps } from "./build-gateway.js";
