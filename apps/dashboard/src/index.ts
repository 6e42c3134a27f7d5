// The dashboard's Node side: serves the built pages (or Vite's dev server) and passes their API calls on.
export { startDashboard, type DashboardOptions, type RunningDashboard } from "./server/start-dashboard.js";
export type { DashboardLogger } from "./server/dashboard-logger.js";
