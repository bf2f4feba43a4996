import { actionReference } from "../../src/onboarding/actionReference.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { REQUIRED_INPUTS } from "../../src/runner/inputs.js";

const ROOT = join(import.meta.dirname, "../..");

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

interface Workflow {
  "run-name": string;
  on: { workflow_dispatch: { inputs: Record<string, { type: string; required: boolean }> } };
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, { "timeout-minutes": number; steps: Array<{ uses?: string; run?: string; with?: Record<string, string | number> }> }>;
}

const action = yaml.load(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYml;
const template = yaml.load(readFileSync(join(ROOT, "templates/parallel-coordinator-agent.yml"), "utf8")) as Workflow;
/** What the app dispatches (src/state/dispatchInputs.ts `dispatchInputs`). */
const DISPATCH_INPUTS = ["attempt", "base", "batch", "brief", "issue", "key", "scope"];

describe("action.yml", () => {
  it("runs the bundled entry on Node 24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });

  it("declares every input the runner reads, the dispatch inputs among them, and its three outputs", () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...REQUIRED_INPUTS, "timeout-minutes", "checks", "scope-mode"].sort());
    for (const name of REQUIRED_INPUTS) expect(action.inputs[name]?.required, name).toBe(true);
    for (const name of DISPATCH_INPUTS) expect(action.inputs[name], name).toBeDefined();
    expect(action.inputs["scope-mode"]?.default).toBe("revert");
    expect(Object.keys(action.outputs).sort()).toEqual(["pull-request", "report", "status"]);
  });
});

describe("the agent workflow template", () => {
  it("declares exactly the inputs the app dispatches, all required strings", () => {
    const inputs = template.on.workflow_dispatch.inputs;
    expect(Object.keys(inputs).sort()).toEqual(DISPATCH_INPUTS);
    for (const input of Object.values(inputs)) expect(input).toMatchObject({ type: "string", required: true });
  });

  it("names its runs with the key, asks for the least permissions, and serialises runs per issue and domain branch", () => {
    expect(template["run-name"]).toContain("${{ inputs.key }}");
    expect(template.permissions).toEqual({ contents: "write", "pull-requests": "write", issues: "write" });
    expect(template.concurrency.group).toContain("inputs.issue");
    expect(template.concurrency.group).toContain("github.ref_name");
    expect(template.concurrency["cancel-in-progress"]).toBe(false);
  });

  it("passes every dispatch input to the runner through `with:`, never through a shell", () => {
    const [job] = Object.values(template.jobs);
    expect(job?.["timeout-minutes"]).toBeGreaterThan(0);
    const runner = job?.steps.find((step) => step.uses === actionReference({}));
    expect(runner).toBeDefined();
    for (const name of DISPATCH_INPUTS) expect(runner?.with?.[name], name).toBe(`\${{ inputs.${name} }}`);
    expect(Number(runner?.with?.["timeout-minutes"])).toBeLessThan(job!["timeout-minutes"]);
    const scripts = job!.steps.map((step) => step.run).filter((run): run is string => run !== undefined);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).not.toContain("${{");
  });
});
