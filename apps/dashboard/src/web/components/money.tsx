import { displayUsd } from "../lib/money.js";

/**
 * An amount of USD as people read it, with the exact 8-decimal value on hover
 * (`title`) and in the machine-readable `value` of a <data> element.
 */
export function Money({ usd }: { usd: string }) {
  return (
    <data className="money" value={usd} title={`${usd} USD`}>
      {displayUsd(usd)}
    </data>
  );
}
