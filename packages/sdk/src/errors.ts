// `@modelfaucet/sdk/errors`: the typed errors alone, for code that only checks them.
export {
  BudgetExceededError,
  FaucetError,
  InsufficientBalanceError,
  LocalBridgeUnavailableError,
  NoRouteError,
  ProviderError,
  RateLimitError,
  SessionError,
  StreamInterruptedError,
  type FaucetErrorCode,
  type FaucetErrorInit,
} from "./errors/faucet-error.js";
