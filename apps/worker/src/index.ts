export { startWorker, type WorkerOptions } from "./start-worker.js";
export { sweepExpiredSessions } from "./sweep-sessions.js";
