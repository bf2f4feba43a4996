import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { actionReference } from "../../src/onboarding/actionReference.js";
import { agentWorkflow } from "../../src/onboarding/onboardingFiles.js";
import { DISPATCH_INPUTS, MODE_INPUTS } from "../../src/runner/inputs.js";

const ROOT = join(import.meta.dirname, "../..");

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
}

interface Job {
  needs?: string | string[];
  if?: string;
  permissions: Record<string, string>;
  outputs?: Record<string, string>;
  "timeout-minutes": number;
  steps: Step[];
}

interface Workflow {
  "run-name": string;
  on: { workflow_dispatch: { inputs: Record<string, { type: string; required: boolean }> } };
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const action = yaml.load(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYml;
const templateText = readFileSync(join(ROOT, "templates/parallel-coordinator-agent.yml"), "utf8");
const template = yaml.load(templateText) as Workflow;
/** What the app dispatches (src/state/dispatch.ts `dispatchInputs`). */
const DISPATCHED = ["attempt", "base", "batch", "brief", "issue", "key", "scope"];
const RUNNER = actionReference({});

const runnerSteps = (job: Job) => job.steps.filter((step) => step.uses === RUNNER);
const modeOf = (step: Step) => step.with?.mode;
/** Everything a step is given: its inputs and its environment, as written. */
const given = (step: Step) => JSON.stringify({ with: step.with ?? {}, env: step.env ?? {} });

describe("action.yml", () => {
  it("runs the bundled entry on Node 24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });

  it("declares every input the runner reads, the dispatch inputs required, and its outputs", () => {
    const modeInputs = Object.values(MODE_INPUTS).flat();
    expect(Object.keys(action.inputs).sort()).toEqual(
      [
        ...new Set([
          "mode",
          ...DISPATCH_INPUTS,
          ...modeInputs,
          "timeout-minutes",
          "checks",
          "scope-mode",
          "max-file-bytes",
          "max-change-bytes",
        ]),
      ].sort(),
    );
    for (const name of ["mode", ...DISPATCH_INPUTS]) expect(action.inputs[name]?.required, name).toBe(true);
    for (const name of DISPATCHED) expect(action.inputs[name], name).toBeDefined();
    expect(action.inputs["scope-mode"]?.default).toBe("revert");
    expect(action.inputs["max-file-bytes"]?.default).toBe(String(1024 * 1024));
    expect(Object.keys(action.outputs).sort()).toEqual(["digest", "pull-request", "report", "status"]);
  });
});

describe("the agent workflow template", () => {
  it("declares exactly the inputs the app dispatches, all required strings", () => {
    const inputs = template.on.workflow_dispatch.inputs;
    expect(Object.keys(inputs).sort()).toEqual(DISPATCHED);
    for (const input of Object.values(inputs)) expect(input).toMatchObject({ type: "string", required: true });
  });

  it("names its runs with the key, gives nothing by default, and serialises runs per issue and domain branch", () => {
    expect(template["run-name"]).toContain("${{ inputs.key }}");
    expect(template.permissions).toEqual({});
    expect(template.concurrency.group).toContain("inputs.issue");
    expect(template.concurrency.group).toContain("github.ref_name");
    expect(template.concurrency["cancel-in-progress"]).toBe(false);
  });

  it("has three jobs: agent and verify may only read, publish alone writes", () => {
    expect(Object.keys(template.jobs)).toEqual(["agent", "verify", "publish"]);
    const { agent, verify, publish } = template.jobs as Record<"agent" | "verify" | "publish", Job>;
    expect(agent.permissions).toEqual({ contents: "read" });
    expect(verify.permissions).toEqual({ contents: "read" });
    expect(publish.permissions).toEqual({ contents: "write", "pull-requests": "write", issues: "write" });
    expect(verify.needs).toBe("agent");
    expect(publish.needs).toEqual(["agent", "verify"]);
    // A failed agent or verify job still ends in a report (Blocked, with the reason); a cancelled run does not.
    expect(publish.if).toBe("${{ !cancelled() }}");
    expect(runnerSteps(agent).map(modeOf)).toEqual(["agent"]);
    expect(runnerSteps(verify).map(modeOf)).toEqual(["verify", "acceptance"]);
    expect(runnerSteps(publish).map(modeOf)).toEqual(["publish"]);
  });

  it("keeps every write credential out of the agent and verify jobs", () => {
    for (const name of ["agent", "verify"]) {
      const job = template.jobs[name]!;
      for (const step of job.steps) {
        expect(given(step), `${name}: ${step.name ?? step.uses}`).not.toMatch(
          /github\.token|GITHUB_TOKEN|github-token|app-token|PRIVATE_KEY/,
        );
        // The only secret in either job is the agent's own API key, on the agent's step.
        const secrets = given(step).match(/secrets\.\w+/g) ?? [];
        expect(secrets, `${name}: ${step.name ?? step.uses}`).toEqual(
          modeOf(step) === "agent" ? ["secrets.ANTHROPIC_API_KEY"] : [],
        );
      }
      const checkout = job.steps.find((step) => step.uses?.startsWith("actions/checkout@"));
      expect(checkout?.with?.["persist-credentials"], name).toBe(false);
      // Everything after the agent (or the checks) may be steered by it: none of it gets a secret.
      const first = job.steps.findIndex((step) => modeOf(step) === (name === "agent" ? "agent" : "acceptance"));
      for (const step of job.steps.slice(first + 1)) expect(given(step)).not.toMatch(/secrets\./);
    }
  });

  it("sets the verify job's digest in the step before any repository code runs, and publishes only against it", () => {
    const verify = template.jobs.verify!;
    expect(verify.outputs).toEqual({ digest: "${{ steps.verify.outputs.digest }}" });
    const at = verify.steps.findIndex((step) => step.id === "verify");
    expect(modeOf(verify.steps[at]!)).toBe("verify");
    // Before it: the checkout and the agent's artifact, nothing that runs the repository's code.
    expect(verify.steps.slice(0, at).map((step) => step.uses?.split("@")[0])).toEqual([
      "actions/checkout",
      "actions/download-artifact",
    ]);
    const publish = template.jobs.publish!;
    const runner = runnerSteps(publish)[0]!;
    expect(runner.with?.needs).toBe("${{ toJSON(needs) }}");
    expect(runner.with?.["github-token"]).toBe("${{ steps.app-token.outputs.token || github.token }}");
  });

  it("runs no repository code in the publish job: no checkout, no script", () => {
    const publish = template.jobs.publish!;
    expect(publish.steps.filter((step) => step.run !== undefined)).toEqual([]);
    expect(publish.steps.map((step) => step.uses?.split("@")[0])).toEqual([
      "actions/create-github-app-token",
      "actions/download-artifact",
      RUNNER.split("@")[0],
    ]);
  });

  it("pins every other action by commit SHA, with its tag in a comment", () => {
    const pins = [...templateText.matchAll(/uses: (\S+)(.*)$/gm)].filter((match) => match[1] !== RUNNER);
    expect(pins.length).toBeGreaterThan(0);
    for (const [, uses, rest] of pins) {
      expect(uses, uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(rest, uses).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  it("passes every dispatch input to each runner step through `with:`, never through a shell", () => {
    for (const [name, job] of Object.entries(template.jobs)) {
      expect(job["timeout-minutes"], name).toBeGreaterThan(0);
      for (const step of runnerSteps(job)) {
        for (const input of DISPATCHED) expect(step.with?.[input], `${name} ${input}`).toBe(`\${{ inputs.${input} }}`);
        if (step.with?.["timeout-minutes"] !== undefined)
          expect(Number(step.with["timeout-minutes"])).toBeLessThan(job["timeout-minutes"]);
      }
      for (const script of job.steps.map((step) => step.run).filter((run): run is string => run !== undefined))
        expect(script).not.toContain("${{");
    }
  });

  it("hands each job's folder to the next by artifact", () => {
    const upload = (job: string) =>
      template.jobs[job]!.steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"))?.with;
    const download = (job: string) =>
      template.jobs[job]!.steps.find((step) => step.uses?.startsWith("actions/download-artifact@"))?.with;
    expect(upload("agent")).toMatchObject({
      name: "parallel-coordinator-agent",
      path: "${{ runner.temp }}/parallel-coordinator/agent/",
    });
    expect(download("verify")).toMatchObject({
      name: "parallel-coordinator-agent",
      path: "${{ runner.temp }}/parallel-coordinator/agent",
    });
    expect(upload("verify")).toMatchObject({
      name: "parallel-coordinator-verified",
      path: "${{ runner.temp }}/parallel-coordinator/verified/",
    });
    expect(download("publish")).toMatchObject({
      name: "parallel-coordinator-verified",
      path: "${{ runner.temp }}/parallel-coordinator/verified",
    });
  });

  it("is what onboarding writes, with the runner's reference swapped in every job", () => {
    const pinned = "acme/parallel-coordinator@0123456789abcdef0123456789abcdef01234567";
    const written = yaml.load(agentWorkflow(pinned)) as Workflow;
    const uses = Object.values(written.jobs)
      .flatMap((job) => job.steps.map((step) => step.uses))
      .filter((ref) => ref?.includes("/parallel-coordinator@"));
    expect(uses).toEqual([pinned, pinned, pinned, pinned]);
  });
});
