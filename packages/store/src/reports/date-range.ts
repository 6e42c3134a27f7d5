/** A report's period: `from` inclusive, `to` exclusive. */
export interface DateRange {
  from: Date;
  to: Date;
}
