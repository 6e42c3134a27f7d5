#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import {
  bridgeConfig,
  DEFAULT_API_URL,
  DEFAULT_PORT,
  defaultDataDir,
  LOOPBACK_HOSTS,
  upstreamTargets,
} from "./config/bridge-config.js";
import { parseHttpUrl, parseOriginFlag, parsePort, parseUpstreamFlag } from "./config/parse-flags.js";
import { detectCommand, modelsCommand } from "./commands/detect-command.js";
import { doctorCommand } from "./commands/doctor-command.js";
import { queueCommand } from "./commands/queue-command.js";
import { startCommand } from "./commands/start-command.js";
import { BRIDGE_VERSION } from "./version.js";

/** A flag parser for commander: our parsers' messages become its usage errors. */
function flag<T>(parse: (value: string) => T) {
  return (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** A repeatable flag: every value, in order (no commander default: it would be kept as the first values). */
function repeated<T>(parse: (value: string) => T) {
  const one = flag(parse);
  return (value: string, previous: T[] = []): T[] => [...previous, one(value)];
}

const upstreamOption = () =>
  new Option(
    "--upstream <KIND=URL>",
    "a local server not on its default port (repeatable), e.g. ollama=http://127.0.0.1:11435",
  ).argParser(repeated(parseUpstreamFlag));
const dataDirOption = () => new Option("--data-dir <DIR>", "where the report queue lives").default(defaultDataDir());
const apiOption = () =>
  new Option("--api <URL>", "the ModelFaucet Control API that reports go to")
    .argParser(flag(parseHttpUrl))
    .default(new URL(DEFAULT_API_URL), DEFAULT_API_URL);
const jsonOption = () => new Option("--json", "print JSON for scripts").default(false);

const program = new Command("modelfaucet-bridge")
  .description(
    "Serves the models on this machine (Ollama, LM Studio, vLLM, llama.cpp server) to ModelFaucet apps on " +
      "loopback, and reports the token counts of each call - never its text - for metering.",
  )
  .version(BRIDGE_VERSION)
  .showHelpAfterError();

program
  .command("start")
  .description("run the bridge (loopback only unless --host says otherwise)")
  .addOption(new Option("--port <PORT>", "TCP port").argParser(flag(parsePort)).default(DEFAULT_PORT))
  .addOption(
    new Option(
      "--host <ADDRESS>",
      `an address to listen on (repeatable; default: ${LOOPBACK_HOSTS.join(" and ")})`,
    ).argParser(repeated((value: string) => value)),
  )
  .addOption(
    new Option(
      "--allow-origin <URL>",
      "a web app origin allowed to call the bridge (repeatable; default: none)",
    ).argParser(repeated(parseOriginFlag)),
  )
  .addOption(upstreamOption())
  .addOption(dataDirOption())
  .addOption(apiOption())
  .addOption(jsonOption())
  .action(async (options) => {
    const config = bridgeConfig({
      port: options.port,
      hosts: options.host ?? [...LOOPBACK_HOSTS],
      allowOrigins: options.allowOrigin ?? [],
      upstreams: upstreamTargets(options.upstream ?? []),
      dataDir: options.dataDir,
      apiUrl: options.api,
    });
    await startCommand(config, options.json);
  });

program
  .command("detect")
  .description("probe for local model servers on their default ports (about 1 s at most)")
  .addOption(upstreamOption())
  .addOption(jsonOption())
  .action((options) => detectCommand({ upstream: options.upstream ?? [], json: options.json }));

program
  .command("models")
  .description("list the model ids the bridge serves (ollama/qwen2.5:7b, ...)")
  .addOption(upstreamOption())
  .addOption(jsonOption())
  .action((options) => modelsCommand({ upstream: options.upstream ?? [], json: options.json }));

program
  .command("doctor")
  .description("check Node, the data directory, the queue, local servers and the API; exit 1 on a failure")
  .addOption(upstreamOption())
  .addOption(dataDirOption())
  .addOption(apiOption())
  .addOption(jsonOption())
  .action((options) =>
    doctorCommand({
      upstream: options.upstream ?? [],
      dataDir: options.dataDir,
      apiUrl: options.api,
      json: options.json,
    }),
  );

const queue = program.command("queue").description("the usage reports waiting to be delivered, and the dead letters");
for (const [action, description] of [
  ["list", "show pending reports and dead letters (never their tickets)"],
  ["flush", "deliver every pending report now, whatever its backoff"],
  ["purge", "drop the dead letters (reports the API refused for good)"],
] as const) {
  queue
    .command(action)
    .description(description)
    .addOption(dataDirOption())
    .addOption(apiOption())
    .addOption(jsonOption())
    .action((options) => queueCommand(action, { ...options, apiUrl: options.api }));
}

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`modelfaucet-bridge: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
