// Writes packages/sdk/src/wire-types.ts: the wire shapes the SDK exposes,
// expanded from @modelfaucet/contract's types into plain TypeScript. The SDK
// is published alone, so its declarations cannot name the private contract
// package (nor zod, which its types are inferred through); expanding them
// keeps contract the one source of truth. tests/sdk-wire-types.test.ts fails
// when the file is stale: run `pnpm sdk:wire-types` after changing contract.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import prettier from "prettier";
import ts from "typescript";

/** The SDK's name for each shape, and the contract type it expands. */
const SHAPES: Array<[name: string, contractType: string, doc: string]> = [
  ["ErrorCode", "C.ErrorCode", "A stable error code of the error envelope."],
  ["ErrorType", "C.ErrorType", "OpenAI's error `type`, derived from the status."],
  [
    "ErrorEnvelope",
    "C.ErrorEnvelope",
    "`{error: {code, message, request_id, …}}`: every failure of the API and the Gateway.",
  ],
  [
    "RouteMode",
    "C.ModelfaucetBlock['route_mode']",
    "How a request was served: `platform`, `developer_key`, `byok` or `local`.",
  ],
  ["CreateSessionRequest", "C.CreateSessionRequest", "The body of `POST /v1/sessions`."],
  ["SessionResponse", "C.SessionGrant", "The answer of `POST /v1/sessions`."],
  ["ModelfaucetBlock", "C.ModelfaucetBlock", "The `modelfaucet` block every Gateway answer carries."],
  ["ChatCompletionRequest", "C.ChatRequest", "`POST /v1/chat/completions`: OpenAI's chat request."],
  ["ChatCompletion", "C.ChatCompletion", "A chat completion with the `modelfaucet` block."],
  ["ChatCompletionChunk", "C.ChatCompletionChunk", "One chunk of a chat stream."],
  ["ChatUsage", "C.ChatCompletion['usage']", "OpenAI's `usage` of a chat completion."],
  ["EmbeddingsRequest", "C.EmbeddingRequestBody", "`POST /v1/embeddings`: OpenAI's embeddings request."],
  ["EmbeddingsResponse", "C.EmbeddingsResponse", "A list of embeddings with the `modelfaucet` block."],
  ["ResponsesRequest", "C.ResponsesRequestBody", "`POST /v1/responses`: a Responses API request."],
  ["ResponseObject", "C.ResponseObject", "A Responses API `response` with the `modelfaucet` block."],
  ["ResponseStreamEvent", "C.ResponseStreamEvent", "One event of a Responses stream."],
  ["Model", "C.Model", "A model the session can be routed to."],
  ["ModelList", "C.ModelList", "`GET /v1/models`."],
  ["Wallet", "C.Wallet", "`GET /v1/user/wallet`: balance = posted, available = balance − held."],
  ["WalletTransfer", "C.WalletTransfer", "One movement of the wallet."],
  ["UserUsageItem", "C.UserUsageItem", "One request of the end user, with what it cost them."],
  ["UserUsagePage", "C.UserUsagePage", "`GET /v1/user/usage`: newest first; `next_cursor` is null on the last page."],
  ["ProviderKeyProvider", "C.ProviderKeyProvider", "Upstreams a stored provider key may be for."],
  ["ProviderKey", "C.ProviderKey", "A stored provider key as listed: `masked`, never the key."],
  ["CheckoutSession", "C.CheckoutSession", "A Stripe Checkout Session started for a top-up."],
  [
    "LocalTicket",
    "C.LocalTicket",
    "`POST /v1/local/tickets`: a ticket for one call through the Local Bridge, its fee held.",
  ],
];

const here = fileURLToPath(new URL(".", import.meta.url));
export const SDK_WIRE_TYPES_FILE = fileURLToPath(new URL("../packages/sdk/src/wire-types.ts", import.meta.url));

/** The text of packages/sdk/src/wire-types.ts as the contract now defines it. */
export async function renderSdkWireTypes(): Promise<string> {
  const entry = `${here}sdk-wire-types.entry.ts`;
  const source = [
    `import type * as C from "@modelfaucet/contract";`,
    ...SHAPES.map(([name, contractType]) => `export type ${name} = ${contractType};`),
  ].join("\n");
  const host = ts.createCompilerHost({});
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => (file === entry ? source : readFile(file));
  host.fileExists = (file) => file === entry || fileExists(file);
  const program = ts.createProgram(
    [entry],
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      exactOptionalPropertyTypes: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
    },
    host,
  );
  const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(entry));
  if (problems.length > 0) {
    throw new Error(problems.map((problem) => ts.flattenDiagnosticMessageText(problem.messageText, "\n")).join("\n"));
  }
  const checker = program.getTypeChecker();
  const aliases = program.getSourceFile(entry)!.statements.filter(ts.isTypeAliasDeclaration);
  const flags =
    ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.MultilineObjectLiterals;
  const print = (type: ts.Type) => checker.typeToString(type, undefined, flags);
  // An interface prints as its name: spell out its members instead.
  const expand = (type: ts.Type) =>
    type.isClassOrInterface()
      ? `{ ${type
          .getProperties()
          .map((member) => `${member.name}: ${print(checker.getTypeOfSymbol(member))};`)
          .join(" ")} }`
      : print(type);
  const declarations = aliases.map((alias, index) => {
    const [, contractType, doc] = SHAPES[index]!;
    const type = expand(checker.getTypeAtLocation(alias.name));
    return `/** ${doc} (contract: \`${contractType.slice(2)}\`) */\nexport type ${alias.name.text} = ${type};`;
  });
  const text = [
    "// Generated by scripts/generate-sdk-wire-types.ts from @modelfaucet/contract: do not edit.",
    "// Run `pnpm sdk:wire-types` after changing a contract shape.",
    "",
    ...declarations,
  ].join("\n");
  return prettier.format(text, { ...(await prettier.resolveConfig(SDK_WIRE_TYPES_FILE)), parser: "typescript" });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SDK_WIRE_TYPES_FILE, await renderSdkWireTypes());
}
