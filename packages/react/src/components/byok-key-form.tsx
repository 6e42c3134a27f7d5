import type { ProviderKey, ProviderKeyProvider } from "@modelfaucet/sdk";
import { useId, useRef, useState, type FormEvent } from "react";
import { useProviderKeys } from "../keys/use-provider-keys.js";
import { asError } from "../provider/faucet-state.js";

const PROVIDER_LABELS: Record<ProviderKeyProvider, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google",
  openrouter: "OpenRouter",
  groq: "Groq",
  together: "Together",
  mistral: "Mistral",
  openai_compatible: "OpenAI-compatible",
};

export interface ByokKeyFormProps {
  /** The providers offered, first selected (default: all). */
  providers?: readonly ProviderKeyProvider[] | undefined;
  /** A key was stored: this is its masked form. */
  onSaved?: ((key: ProviderKey) => void) | undefined;
  className?: string | undefined;
}

type FormState =
  { status: "idle" | "submitting" } | { status: "saved"; key: ProviderKey } | { status: "error"; error: Error };

/**
 * Adds the user's own provider key (BYOK) and lists the stored ones. The key
 * field is an uncontrolled password input: the raw key never enters React
 * state or a DOM attribute, and the field is emptied as the form is sent —
 * what is shown afterwards is the server's masked form (`sk-...abcd`).
 * `data-state`: `idle`, `submitting`, `saved` or `error`.
 */
export function ByokKeyForm({
  providers = Object.keys(PROVIDER_LABELS) as ProviderKeyProvider[],
  onSaved,
  className,
}: ByokKeyFormProps) {
  const { keys, add, remove } = useProviderKeys();
  const [provider, setProvider] = useState<ProviderKeyProvider>(providers[0] ?? "openai");
  const [state, setState] = useState<FormState>({ status: "idle" });
  const keyInput = useRef<HTMLInputElement>(null);
  const baseUrlInput = useRef<HTMLInputElement>(null);
  const id = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = keyInput.current!;
    const apiKey = input.value;
    input.value = "";
    if (apiKey.trim() === "") return;
    setState({ status: "submitting" });
    try {
      const baseUrl = provider === "openai_compatible" ? baseUrlInput.current?.value : undefined;
      const key = await add({ provider, apiKey, baseUrl });
      setState({ status: "saved", key });
      onSaved?.(key);
    } catch (error) {
      setState({ status: "error", error: asError(error) });
    }
  }

  return (
    <form className={className} data-state={state.status} aria-labelledby={`${id}title`} onSubmit={submit}>
      <p id={`${id}title`}>Your provider key</p>
      <label htmlFor={`${id}provider`}>Provider</label>
      <select
        id={`${id}provider`}
        value={provider}
        onChange={(event) => setProvider(event.target.value as ProviderKeyProvider)}
      >
        {providers.map((option) => (
          <option key={option} value={option}>
            {PROVIDER_LABELS[option]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}key`}>API key</label>
      <input id={`${id}key`} ref={keyInput} type="password" autoComplete="off" spellCheck={false} required />
      {provider === "openai_compatible" && (
        <>
          <label htmlFor={`${id}url`}>Base URL</label>
          <input id={`${id}url`} ref={baseUrlInput} type="url" required />
        </>
      )}
      <button type="submit" disabled={state.status === "submitting"}>
        Save key
      </button>
      <p role="status">{state.status === "saved" ? `Saved ${state.key.masked}` : ""}</p>
      {state.status === "error" && <p role="alert">{state.error.message}</p>}
      {keys.length > 0 && (
        <ul aria-label="Your stored keys">
          {keys.map((key) => (
            <li key={key.id}>
              {PROVIDER_LABELS[key.provider]} {key.masked}{" "}
              <button
                type="button"
                aria-label={`Remove ${key.masked}`}
                onClick={() => remove(key.id).catch((error) => setState({ status: "error", error: asError(error) }))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
