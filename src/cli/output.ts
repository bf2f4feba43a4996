import { readFile } from "node:fs/promises";
import { wrap } from "./wrap.js";

/** What a command prints: text for a terminal (the default), the Markdown the app posts, or JSON for programs. */
export type Format = "text" | "markdown" | "json";

/** `where:` and a list of problems under it, each wrapped to `width` with a hanging indent. */
export function problemList(where: string, problems: readonly string[], width: number): string {
  return `${where}\n${problems.flatMap((problem) => wrap(problem, width, "  - ", "    ")).join("\n")}\n`;
}

/** A file's text, or undefined when it cannot be read. */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}
