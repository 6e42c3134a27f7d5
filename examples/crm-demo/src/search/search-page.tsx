import { useFaucet } from "@modelfaucet/react";
import { useState, type FormEvent } from "react";
import { AiCard } from "../ai/ai-card.js";
import { useAiRoute } from "../ai/ai-route.js";
import { usageOfEmbeddings } from "../ai/answer-usage.js";
import { embeddingVector } from "../ai/embedding-vector.js";
import { FEATURES } from "../ai/features.js";
import { cosineSimilarity } from "../ai/similarity.js";
import { useAiTask } from "../ai/use-ai-task.js";
import { useFeatureModel } from "../ai/use-feature-model.js";
import { useCrm } from "../crm/crm-store.js";
import type { EmbeddingsResponse } from "@modelfaucet/sdk";
import { searchDocuments, type SearchDocument } from "./search-documents.js";

const SHOWN_RESULTS = 5;
const EXAMPLES = ["customers upset about billing", "printer problems", "who wants tracking webhooks?"];

interface Ranked {
  document: SearchDocument;
  score: number;
}

/**
 * semantic_search: the question and every record are embedded in one
 * request, and records are ranked by cosine similarity to the question —
 * search by meaning, not by matching words.
 */
export function SearchPage() {
  const client = useFaucet();
  const crm = useCrm();
  const { route } = useAiRoute();
  const model = useFeatureModel(FEATURES.semanticSearch, "embedding");
  const [query, setQuery] = useState("");
  const { state, run } = useAiTask<{ response: EmbeddingsResponse; ranked: Ranked[] }>();

  function search(text: string) {
    if (text.trim() === "") return;
    const documents = searchDocuments(crm);
    void run(async (signal) => {
      const response = await client.embeddings.create(
        {
          model,
          input: [text, ...documents.map((document) => document.text)],
          encoding_format: "float",
          metadata: { feature_key: FEATURES.semanticSearch },
        },
        { signal, route },
      );
      const vectors = [...response.data]
        .sort((a, b) => a.index - b.index)
        .map((item) => embeddingVector(item.embedding));
      const [question = [], ...rest] = vectors;
      const ranked = documents
        .map((document, index) => ({ document, score: cosineSimilarity(question, rest[index] ?? []) }))
        .sort((a, b) => b.score - a.score);
      return { response, ranked };
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    search(query);
  }

  const result = state.status === "done" ? state.result : undefined;
  return (
    <div className="search">
      <h1>Search by meaning</h1>
      <form className="search-form" onSubmit={submit} role="search">
        <input
          type="search"
          aria-label="Search tickets, contacts and deals"
          placeholder="e.g. customers at risk of leaving"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit" className="button button-ai" disabled={state.status === "running"}>
          {state.status === "running" ? "Searching…" : "✦ Search"}
        </button>
      </form>
      <p className="hint">
        Try:{" "}
        {EXAMPLES.map((example) => (
          <button
            key={example}
            type="button"
            className="chip"
            onClick={() => {
              setQuery(example);
              search(example);
            }}
          >
            {example}
          </button>
        ))}
      </p>
      <AiCard
        title="Results"
        testId="search-results"
        busy={state.status === "running"}
        error={state.status === "error" ? state.error : null}
        usage={result ? usageOfEmbeddings(result.response) : undefined}
        action={null}
      >
        {result ? (
          <ol className="results">
            {result.ranked.slice(0, SHOWN_RESULTS).map(({ document, score }) => (
              <li key={document.href + document.title}>
                <span className="result-kind">{document.kind}</span>
                <a href={document.href}>{document.title}</a>
                <span className="muted small">{document.detail}</span>
                <meter min={-1} max={1} value={score} title={`similarity ${score.toFixed(3)}`} />
              </li>
            ))}
          </ol>
        ) : (
          <p className="hint">Ask in your own words; the closest tickets, contacts and deals come first.</p>
        )}
      </AiCard>
    </div>
  );
}
