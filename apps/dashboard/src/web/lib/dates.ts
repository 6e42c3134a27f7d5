const DAY_MS = 86_400_000;

/** Today in UTC, YYYY-MM-DD: the API's days are UTC days. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

/** `day` moved by `days` (negative: back), YYYY-MM-DD. */
export const addDays = (day: string, days: number) =>
  new Date(Date.parse(day) + days * DAY_MS).toISOString().slice(0, 10);

/** The first day of `day`'s month. */
export const monthStart = (day: string) => `${day.slice(0, 7)}-01`;

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length < 400; day = addDays(day, 1)) days.push(day);
  return days;
}

/** A timestamp as a person reads it, in their locale and time zone. */
export const displayTime = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium" }).format(new Date(iso));

/** The start of UTC day `day`, and of the day after `to`: the API's [from, to) instants for whole days. */
export const dayStartIso = (day: string) => `${day}T00:00:00Z`;
export const dayAfterIso = (day: string) => `${addDays(day, 1)}T00:00:00Z`;
