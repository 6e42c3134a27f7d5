export { buildApi, gatewayBaseUrl, API_SERVICE, type ApiDeps } from "./build-api.js";
