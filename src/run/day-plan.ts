/** One thing a day's run does, in order: write a partition, or run a statement (views, metadata). */
export type Step =
  | {
      readonly kind: "write";
      /** What the step computes, for progress, job labels and `--sql-output-dir` file names. */
      readonly label: string;
      /** Table name parts; the last two are dataset and table. */
      readonly table: readonly string[];
      readonly select: string;
      /** Partitions older than this many days expire (where the engine can). */
      readonly partitionExpirationDays?: number;
    }
  | { readonly kind: "execute"; readonly label: string; readonly sql: string };

/** The steps of one project for one day. */
export interface DayPlan {
  readonly slug: string;
  readonly date: string;
  readonly steps: readonly Step[];
}
