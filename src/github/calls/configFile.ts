import type { Context } from "probot";
import { configFromObject, type ConfigResult } from "../../base/config.js";
import { isTransient, messageOf } from "./httpErrors.js";

/** `.github/parallel-coordinator.yml` through Probot (with `_extends` and organisation defaults), validated. */
export async function readConfig(context: Context): Promise<ConfigResult> {
  try {
    const value = await context.config("parallel-coordinator.yml");
    return configFromObject(value ?? {});
  } catch (error) {
    // GitHub failing to answer says nothing about the file: no "bad config" comment, try again later.
    if (isTransient(error)) throw error;
    return {
      ok: false,
      problems: [{ message: `.github/parallel-coordinator.yml cannot be read: ${messageOf(error)}` }],
    };
  }
}
