// Regenerates schema/parallel-coordinator.schema.json from the zod config schema.
import { writeFile } from "node:fs/promises";
import { configJsonSchema } from "../src/base/configJsonSchema.js";

await writeFile(new URL("../schema/parallel-coordinator.schema.json", import.meta.url), configJsonSchema());
console.log("wrote schema/parallel-coordinator.schema.json");
