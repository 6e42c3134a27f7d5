export { ERROR_STATUS, isErrorCode, type ErrorCode } from "./errors/error-code.js";
export { AppError, type AppErrorOptions } from "./errors/app-error.js";
export { errorEnvelope, type ErrorEnvelope } from "./errors/envelope.js";
export { isSaneRequestId, newRequestId, resolveRequestId, MAX_REQUEST_ID_LENGTH } from "./request-id.js";
