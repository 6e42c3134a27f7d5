import type { RequestDetail } from "@modelfaucet/contract";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";

type Attempt = RequestDetail["attempts"][number];

const attemptColumns: Column<Attempt>[] = [
  { id: "route_mode", header: "Route", value: (attempt) => attempt.route_mode ?? "" },
  { id: "provider", header: "Provider", value: (attempt) => attempt.provider ?? "" },
  { id: "model", header: "Model", value: (attempt) => attempt.model ?? "" },
  { id: "outcome", header: "Outcome", value: (attempt) => attempt.outcome ?? "" },
  { id: "status", header: "Status", numeric: true, value: (attempt) => attempt.status ?? null },
  { id: "duration_ms", header: "Duration (ms)", numeric: true, value: (attempt) => attempt.duration_ms ?? null },
];

/** One request by its x-request-id: tokens, the price split, route, model, attempts and time. */
export function RequestPage() {
  const { requestId = "" } = useParams();
  const detail = useQuery({
    queryKey: ["/v1/developer/requests", requestId],
    queryFn: () => api<RequestDetail>(`/v1/developer/requests/${encodeURIComponent(requestId)}`),
  });
  return (
    <>
      <p className="breadcrumb">
        <Link to="/developer/usage">Usage</Link> / request
      </p>
      <h1>
        Request <code>{requestId}</code>
      </h1>
      <QueryView query={detail}>
        {(request) => (
          <>
            <div className="cards">
              <section className="card" aria-labelledby="split-title">
                <h2 id="split-title">Price split</h2>
                <dl className="figures" data-testid="request-split">
                  <div>
                    <dt>The user paid</dt>
                    <dd data-field="retail">
                      <Money usd={request.retail_usd} />
                    </dd>
                  </div>
                  <div>
                    <dt>Provider cost</dt>
                    <dd data-field="cost">
                      <Money usd={request.cost_usd} />
                    </dd>
                  </div>
                  <div>
                    <dt>You earned</dt>
                    <dd data-field="developer">
                      <Money usd={request.developer_usd} />
                    </dd>
                  </div>
                  <div>
                    <dt>The platform earned</dt>
                    <dd data-field="platform">
                      <Money usd={request.platform_usd} />
                    </dd>
                  </div>
                </dl>
              </section>
              <section className="card" aria-labelledby="request-facts-title">
                <h2 id="request-facts-title">Request</h2>
                <dl className="facts">
                  <dt>Time</dt>
                  <dd>{<Time iso={request.created_at} />}</dd>
                  <dt>App</dt>
                  <dd>
                    <code>{request.app_id}</code>
                  </dd>
                  <dt>Feature</dt>
                  <dd>{request.feature_key ?? "none"}</dd>
                  <dt>Route</dt>
                  <dd>{request.route_mode}</dd>
                  <dt>Provider / model</dt>
                  <dd>
                    {request.provider} / {request.model}
                  </dd>
                  <dt>Tokens</dt>
                  <dd>
                    {request.input_tokens} in ({request.cached_tokens} cached), {request.output_tokens} out (
                    {request.usage_source})
                  </dd>
                  <dt>Outcome</dt>
                  <dd>
                    {request.outcome}
                    {request.stream ? ", streamed" : ""}
                  </dd>
                  <dt>Held before the call</dt>
                  <dd>
                    <Money usd={request.held_usd} />
                  </dd>
                </dl>
              </section>
            </div>
            <DataTable
              caption="Upstream attempts"
              rows={request.attempts}
              columns={attemptColumns}
              empty="No attempts recorded."
            />
          </>
        )}
      </QueryView>
    </>
  );
}
