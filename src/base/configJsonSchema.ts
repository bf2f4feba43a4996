import { z } from "zod";
import { ConfigSchema } from "./config.js";

/** The JSON Schema of `.github/parallel-coordinator.yml`, for editors and docs, as committed. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: "input", target: "draft-2020-12" });
  return `${JSON.stringify(
    {
      ...schema,
      title: "parallel-coordinator configuration (.github/parallel-coordinator.yml)",
    },
    null,
    2,
  )}\n`;
}
