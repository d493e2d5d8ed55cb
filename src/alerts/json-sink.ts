import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { AlertRecord } from "./alert-record.js";

/** What the JSON file holds. */
export interface AlertsJson {
  readonly dates: readonly string[];
  readonly count: number;
  readonly alerts: readonly AlertRecord[];
}

/**
 * Writes the alerts to `file` as JSON (through a temporary file, so a reader never sees half of it).
 *
 * @example writeAlertsJson("alerts.json", alerts, ["2026-11-27"]);
 */
export function writeAlertsJson(file: string, alerts: readonly AlertRecord[], dates: readonly string[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const body: AlertsJson = { dates, count: alerts.length, alerts };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(temporary, file);
}
