/** The few logger methods the dashboard server uses; a pino logger (the process's) fits. */
export interface DashboardLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
