import { startMockUpstream } from "@modelfaucet/providers";

// The mock provider in a process of its own, so it does not share an event loop with what is measured.
const mock = await startMockUpstream({ port: Number(process.env.PORT), behavior: { replyTokens: 24, chunkCount: 8 } });
process.stdout.write(`ready ${mock.url}\n`);
