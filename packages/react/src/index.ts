// `@modelfaucet/react`: React bindings for `@modelfaucet/sdk`. Wrap the app
// in <FaucetProvider client={createFaucet(…)}>; the hooks and unstyled
// components below it share one client and one view of the wallet and keys.
export { FaucetProvider, useFaucet, type FaucetProviderProps } from "./provider/faucet-provider.js";
export type { LoadStatus } from "./provider/faucet-state.js";
export { useChat, type UseChat, type UseChatOptions } from "./chat/use-chat.js";
export type { ChatMessage, ChatStatus } from "./chat/chat-message.js";
export { useWallet, type UseWallet } from "./wallet/use-wallet.js";
export type { TopUpOptions } from "./wallet/wallet-actions.js";
export { useProviderKeys, type UseProviderKeys } from "./keys/use-provider-keys.js";
export { useLocalBridge, type UseLocalBridge } from "./local/use-local-bridge.js";
export { WalletBadge, type WalletBadgeProps } from "./components/wallet-badge.js";
export { TopUpButton, type TopUpButtonProps } from "./components/top-up-button.js";
export { ByokKeyForm, type ByokKeyFormProps } from "./components/byok-key-form.js";
export { RouteModePicker, type RouteModePickerProps } from "./components/route-mode-picker.js";
export { UsageFooter, type UsageFooterProps } from "./components/usage-footer.js";
export {
  InsufficientBalanceNotice,
  type InsufficientBalanceNoticeProps,
} from "./components/insufficient-balance-notice.js";
