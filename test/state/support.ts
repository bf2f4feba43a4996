/**
 * Plans, states, reports and events for the pure engine tests: a plan is made by
 * the real planner from a YAML breakdown, a state by `startState`, and events are
 * fed to `decide` one after another, as the shell would.
 */
import { defaultConfig, type Config } from "../../src/base/config.js";
import type { Plan } from "../../src/plan/planModel.js";
import { planFromSource } from "../../src/schedule/planner.js";
import { planRequested, type Planner } from "../../src/schedule/planRequest.js";
import { readYaml } from "../../src/plan/readYaml.js";
import { reportBlock } from "../../src/report/reportBlock.js";
import { ReportSchema, type ReportInput } from "../../src/report/reportSchema.js";
import type { ChangedFile, Evidence } from "../../src/state/checkIn.js";
import { writtenEffect, type WrittenEffect } from "../../src/render/writtenEffect.js";
import type { Event } from "../../src/state/events.js";
import { decide } from "../../src/state/machine.js";
import type { State } from "../../src/state/stateSchema.js";
import { startState } from "../../src/state/startState.js";

/**
 * Four batches in two domains: `api` and `styles` start at once, `model` follows
 * `api` in its domain, `ui` needs `api` (and takes its integration points).
 */
export const FEATURE_YAML = `title: Notifications
agents: 2
tasks:
  - id: api
    title: Notification API
    domain: backend
    files: ["backend/api/**"]
    estimate: 20
    accept:
      - run: pytest backend/tests/api
  - id: styles
    title: Bell styles
    domain: frontend
    files: ["frontend/styles/**"]
    estimate: 20
  - id: model
    title: Notification model
    domain: backend
    files: ["backend/models/**"]
    estimate: 20
  - id: ui
    title: Notification bell
    domain: frontend
    files: ["frontend/bell/**"]
    estimate: 20
    needs: [api]
`;

export const T0 = "2026-01-05T09:00:00Z";

/** `minutes` after T0, as GitHub writes times. */
export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
}

export function planOfYaml(yaml: string, config: Config = defaultConfig, force = false): Plan {
  const result = planFromSource(readYaml(yaml), config, { force });
  if (!result.ok) throw new Error(`the test plan does not plan: ${JSON.stringify(result.problems)}`);
  return result.plan;
}

/** Plans on the test's own thread: where a test is not about the worker the app plans in. */
export const inThread: Planner = async (request) => planRequested(request);

export interface Setup {
  plan: Plan;
  state: State;
}

/** A new coordination of `yaml` on issue 12, the default branch `main` at `base-sha`; `untrustedAuthor`: an issue author who may not command. */
export function setup(
  yaml = FEATURE_YAML,
  config: Config = defaultConfig,
  force = false,
  untrustedAuthor?: string,
): Setup {
  const plan = planOfYaml(yaml, config, force);
  const state = startState(
    {
      issue: 12,
      config,
      base: "main",
      baseSha: "base-sha",
      at: T0,
      ...(untrustedAuthor === undefined ? {} : { untrustedAuthor }),
    },
    plan,
  );
  return { plan, state };
}

/** `decide`, with what its effects describe written out (comments, briefs, check runs) as the shell sends them to GitHub. */
export function decideAndWrite(state: State, event: Event, plan: Plan): { state: State; effects: WrittenEffect[] } {
  const decision = decide(state, event, plan);
  return { state: decision.state, effects: decision.effects.map((effect) => writtenEffect(plan, effect)) };
}

/** Every event through `decide`, in order; the effects of all of them, written out. */
export function play(plan: Plan, state: State, events: Event[]): { state: State; effects: WrittenEffect[] } {
  let current = state;
  const effects: WrittenEffect[] = [];
  for (const event of events) {
    const decision = decideAndWrite(current, event, plan);
    current = decision.state;
    effects.push(...decision.effects);
  }
  return { state: current, effects };
}

/** Started, with `api` dispatched as run 101 and `styles` as run 102 at T0. */
export function running(base: Setup = setup()): Setup {
  const { plan, state } = base;
  return { plan, state: play(plan, state, [{ kind: "start", at: T0 }, ...startDispatches]).state };
}

/** The two runs a start dispatches: `api` (101) and `styles` (102), at T0. */
export const startDispatches: Event[] = [
  { kind: "dispatched", at: T0, batch: "api", attempt: 1, runId: 101 },
  { kind: "dispatched", at: T0, batch: "styles", attempt: 1, runId: 102 },
];

export type DispatchEffect = Extract<WrittenEffect, { kind: "dispatch" }>;

export function dispatches(effects: WrittenEffect[]): DispatchEffect[] {
  return effects.filter((effect): effect is DispatchEffect => effect.kind === "dispatch");
}

export function ofKind<K extends WrittenEffect["kind"]>(
  effects: WrittenEffect[],
  kind: K,
): Array<Extract<WrittenEffect, { kind: K }>> {
  return effects.filter((effect): effect is Extract<WrittenEffect, { kind: K }> => effect.kind === kind);
}

/** A valid report of `run` for `batch`, with any fields changed. */
export function report(batch: string, run: number, fields: Partial<ReportInput> = {}): ReportInput {
  return {
    version: 1,
    issue: 12,
    batch,
    run,
    status: "Complete",
    changes: [{ file: `${batch}/file.ts`, line: 3, summary: `${batch} done` }],
    acceptance: [{ check: "tests", passed: true, output: "ok" }],
    integrationPoints: [`${batch}: GET /api/${batch} returns {id, text}`],
    blockers: [],
    summary: `Finished ${batch}.`,
    ...fields,
  };
}

/** What GitHub shows of a run: its open pull request with `files` (regular files, or as given), and the report in its body. */
export function evidence(
  pr: number,
  files: Array<string | ChangedFile>,
  value: ReportInput | undefined,
  merged = false,
): Evidence {
  const parsed = value === undefined ? undefined : ReportSchema.parse(value);
  const changed = files.map((file) => (typeof file === "string" ? { path: file, mode: "100644" } : file));
  return {
    pr: { number: pr, headSha: `head-${pr}`, files: changed, changedFiles: changed.length, merged },
    report:
      parsed === undefined
        ? { ok: false, reason: "no report: the runner's report block is missing" }
        : { ok: true, report: parsed },
  };
}

/** A report as the runner writes it into a pull request body. */
export function reportMarkdown(value: ReportInput): string {
  return `Batch work.\n\n${reportBlock(ReportSchema.parse(value))}\n`;
}

export function completed(
  runId: number,
  minutes: number,
  when: string,
  fields: Partial<Extract<Event, { kind: "runCompleted" }>> = {},
): Event {
  return { kind: "runCompleted", at: when, runId, conclusion: "success", minutes, ...fields };
}
