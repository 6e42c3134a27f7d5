/**
 * The Gemini API wire shapes this adapter writes and reads, as far as it
 * relies on them. Responses are parsed defensively (every field checked
 * before use), so the response types name what is read, all optional.
 * https://ai.google.dev/api/generate-content
 */

/** One part of a Content. Exactly one data field is set. */
export interface GeminiPart {
  readonly text?: string;
  /** True on a thought summary part (only sent when thoughts are requested). */
  readonly thought?: boolean;
  readonly inlineData?: { readonly mimeType: string; readonly data: string };
  readonly fileData?: { readonly fileUri: string; readonly mimeType?: string };
  readonly functionCall?: { readonly id?: string; readonly name: string; readonly args?: unknown };
  readonly functionResponse?: { readonly name: string; readonly response: unknown };
  /** Opaque signature Gemini 2.5+/3 attaches to a part; must be sent back with the same part. */
  readonly thoughtSignature?: string;
}

export interface GeminiContent {
  readonly role: "user" | "model";
  readonly parts: readonly GeminiPart[];
}

/** The OpenAPI-subset Schema object Gemini accepts in `responseSchema` and `parameters`. */
export type GeminiSchema = { readonly [keyword: string]: unknown };

export interface GeminiFunctionDeclaration {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: GeminiSchema;
}

export interface GeminiToolConfig {
  readonly functionCallingConfig: {
    readonly mode: "AUTO" | "ANY" | "NONE";
    readonly allowedFunctionNames?: readonly string[];
  };
}

export interface GeminiGenerationConfig {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: readonly string[];
  candidateCount?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  responseMimeType?: string;
  responseSchema?: GeminiSchema;
}

/** The body of `models/{model}:generateContent` and `:streamGenerateContent`. */
export interface GeminiRequestBody {
  readonly contents: readonly GeminiContent[];
  readonly systemInstruction?: { readonly parts: readonly { readonly text: string }[] };
  readonly tools?: readonly { readonly functionDeclarations: readonly GeminiFunctionDeclaration[] }[];
  readonly toolConfig?: GeminiToolConfig;
  readonly generationConfig?: GeminiGenerationConfig;
}

/** `usageMetadata` of a response; token counts. */
export interface GeminiUsageMetadata {
  readonly promptTokenCount?: unknown;
  readonly cachedContentTokenCount?: unknown;
  readonly candidatesTokenCount?: unknown;
  readonly thoughtsTokenCount?: unknown;
  readonly totalTokenCount?: unknown;
}
