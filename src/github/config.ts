import type { Context } from "probot";
import { configFromObject, type ConfigResult } from "../config.js";
import { messageOf } from "./errors.js";

/** `.github/parallel-coordinator.yml` through Probot (with `_extends` and organisation defaults), validated. */
export async function readConfig(context: Context): Promise<ConfigResult> {
  try {
    const value = await context.config("parallel-coordinator.yml");
    return configFromObject(value ?? {});
  } catch (error) {
    return { ok: false, problems: [{ message: `.github/parallel-coordinator.yml cannot be read: ${messageOf(error)}` }] };
  }
}
