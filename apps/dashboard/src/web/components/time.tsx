import { displayTime } from "../lib/dates.js";

/** A moment in the reader's time zone, kept on one line; the exact UTC instant is its `dateTime` and on hover. */
export function Time({ iso }: { iso: string }) {
  return (
    <time className="time" dateTime={iso} title={iso}>
      {displayTime(iso)}
    </time>
  );
}
