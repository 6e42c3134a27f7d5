import { useCrm } from "../crm/crm-store.js";
import { DEAL_STAGES } from "../crm/crm-types.js";
import { formatDollars } from "../format-money.js";
import { hrefOf } from "../use-hash-route.js";

const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);

/** The pipeline: one column per stage, its total on top. */
export function DealsPage() {
  const crm = useCrm();
  const open = crm.deals.filter((deal) => deal.stage !== "won" && deal.stage !== "lost");
  const won = crm.deals.filter((deal) => deal.stage === "won");
  return (
    <div className="deals">
      <div className="deals-head">
        <h1>Deals</h1>
        <p className="stat">
          Open pipeline <strong>{formatDollars(sum(open.map((deal) => deal.amountUsd)))}</strong>
        </p>
        <p className="stat">
          Won <strong>{formatDollars(sum(won.map((deal) => deal.amountUsd)))}</strong>
        </p>
      </div>
      <div className="pipeline">
        {DEAL_STAGES.map((stage) => {
          const deals = crm.deals.filter((deal) => deal.stage === stage);
          return (
            <section key={stage} className="stage" aria-label={stage} data-stage={stage}>
              <h2>
                {stage} <span className="muted">{formatDollars(sum(deals.map((deal) => deal.amountUsd)))}</span>
              </h2>
              {deals.map((deal) => {
                const contact = crm.contact(deal.contactId);
                return (
                  <article key={deal.id} className="deal">
                    <p className="deal-name">{deal.name}</p>
                    <p className="muted small">
                      {contact ? <a href={hrefOf("contacts", contact.id)}>{contact.company}</a> : "—"}
                    </p>
                    <p className="deal-foot">
                      <strong>{formatDollars(deal.amountUsd)}</strong>
                      <span className="muted small">closes {deal.closeDate}</span>
                    </p>
                  </article>
                );
              })}
            </section>
          );
        })}
      </div>
    </div>
  );
}
