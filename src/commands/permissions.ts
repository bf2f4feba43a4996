import type { Permission } from "../base/config.js";

const order = ["none", "read", "triage", "write", "maintain", "admin"] as const;

/** Whether a person's repository role meets the configured least permission. */
export function mayCommand(role: string, least: Permission): boolean {
  const have = order.indexOf(role as (typeof order)[number]);
  return have >= order.indexOf(least);
}
