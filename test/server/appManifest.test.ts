import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";

const manifest = yaml.load(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("the app's manifest (app.yml)", () => {
  it("does not ask for workflows: write, which would let the app change workflows for good; onboarding does without it", () => {
    expect(manifest.default_permissions).not.toHaveProperty("workflows");
  });

  it("subscribes to the events the app handles: check_run among them, which a check-in's pressed button sends", () => {
    expect([...manifest.default_events].sort()).toEqual(["check_run", "issue_comment", "issues", "workflow_run"]);
  });

  it("asks for exactly the permissions README's table gives a reason for", () => {
    const section = readme.slice(
      readme.indexOf("### Events and permissions"),
      readme.indexOf("### How a coordination runs"),
    );
    const rows = [...section.matchAll(/^\| ([a-z_]+): (read|write) \|/gm)].map(
      ([, name, level]) => `${name}: ${level}`,
    );
    expect(rows.sort()).toEqual(
      Object.entries(manifest.default_permissions)
        .map(([name, level]) => `${name}: ${level}`)
        .sort(),
    );
  });
});
