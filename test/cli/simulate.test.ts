/**
 * `simulate` where `@octokit/openapi` is not installed (an installed package):
 * it runs all the same, without the check of each request, and says so.
 */
import { describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/commandLine.js";

vi.mock("../../src/fakeGitHub/requestChecker.js", () => ({ loadRequestChecker: async () => undefined }));

const example = new URL("../../examples/notifications.md", import.meta.url).pathname;

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await main(argv, { out: (text) => (stdout += text), err: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

describe("simulate without GitHub's REST description", () => {
  it("says in one line of text that requests were not checked, and nothing in --json", async () => {
    const text = await run("simulate", example);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("  coordination: done");
    expect(text.stderr).toBe(
      "note: requests were not checked against GitHub's REST description (no @octokit/openapi)\n",
    );
    const json = await run("simulate", example, "--json");
    expect(json.status).toBe(0);
    expect(json.stderr).toBe("");
  });
});
