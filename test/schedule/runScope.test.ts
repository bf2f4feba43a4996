import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/base/config.js";
import { runScope, scopeInput, ScopeSchema } from "../../src/schedule/runScope.js";

const batch = {
  domain: "ci-tools",
  scope: { allow: [".github/workflows/ci.yml", "scripts/**"], deny: ["scripts/owned/**"] },
};

describe("runScope", () => {
  it("is the planned allow and deny, and what the config opens for the batch's domain (by its slug), nothing for others", () => {
    const config = ConfigSchema.parse({
      domains: {
        "CI tools": { allowProtected: [".github/workflows/ci.yml"], allowSymlinks: true },
        web: { allowSubmodules: true },
      },
    });
    expect(runScope(batch, config)).toEqual({
      ...batch.scope,
      allowProtected: [".github/workflows/ci.yml"],
      allowSymlinks: true,
      allowSubmodules: false,
    });
    expect(runScope({ ...batch, domain: "backend" }, config)).toEqual({
      ...batch.scope,
      allowProtected: [],
      allowSymlinks: false,
      allowSubmodules: false,
    });
  });

  it("goes to the runner as the `scope` input with only what differs from its defaults, and reads back the same", () => {
    const plain = runScope(batch, ConfigSchema.parse({}));
    expect(scopeInput(plain)).toBe(JSON.stringify(batch.scope));
    const opened = { ...plain, allowProtected: [".github/workflows/ci.yml"], allowSubmodules: true };
    expect(JSON.parse(scopeInput(opened))).toEqual({
      ...batch.scope,
      allowProtected: [".github/workflows/ci.yml"],
      allowSubmodules: true,
    });
    expect(ScopeSchema.parse(JSON.parse(scopeInput(opened)))).toEqual(opened);
  });
});
