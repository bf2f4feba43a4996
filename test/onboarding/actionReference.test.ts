import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { actionReference, repositoryOf } from "../../src/onboarding/actionReference.js";
import { agentWorkflow } from "../../src/onboarding/onboardingFiles.js";
import pkg from "../../package.json" with { type: "json" };

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("the runner action's reference", () => {
  it("is the package's repository at its major version", () => {
    expect(actionReference({})).toBe(`${repositoryOf(pkg.repository.url)}@v${pkg.version.split(".")[0]}`);
    expect(repositoryOf("git+https://github.com/acme/parallel-coordinator.git")).toBe("acme/parallel-coordinator");
    expect(repositoryOf("https://github.com/acme/parallel-coordinator")).toBe("acme/parallel-coordinator");
    expect(() => repositoryOf("https://gitlab.com/acme/x")).toThrow("not a GitHub repository");
  });

  it("is overridden by PARALLEL_COORDINATOR_ACTION (a fork, a pinned SHA), in the workflow onboarding writes too", () => {
    const pinned = "acme/parallel-coordinator@0123456789abcdef0123456789abcdef01234567";
    expect(actionReference({ PARALLEL_COORDINATOR_ACTION: pinned })).toBe(pinned);
    expect(agentWorkflow(pinned)).toContain(`uses: ${pinned}\n`);
    expect(agentWorkflow(pinned)).not.toContain(actionReference({}));
  });

  it.each(["templates/parallel-coordinator-agent.yml", "templates/RECIPES.md", "README.md"])(
    "is the one %s uses, everywhere",
    (path) => {
      const uses = [...read(path).matchAll(/uses: ([\w.-]+\/parallel-coordinator@[\w.-]+)/g)].map((match) => match[1]);
      expect(uses.length).toBeGreaterThan(0);
      expect(new Set(uses)).toEqual(new Set([actionReference({})]));
    },
  );
});
