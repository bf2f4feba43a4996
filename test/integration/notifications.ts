/**
 * The five-batch feature the command tests coordinate on the fake GitHub
 * (test/fixtures/notifications.ts): its issue, its clock, and the runner's
 * work for each batch (one file in its scope, a report naming its client).
 */
import type { Delivery } from "../../src/fakeGitHub/fakeGitHub.js";
import type { WorkflowRun } from "../../src/fakeGitHub/repository.js";
import type { ReportInput } from "../../src/report/reportSchema.js";
import { FILES, PLAN_YAML } from "../fixtures/notifications.js";
import { World, type Finish, type WorldOptions } from "./world.js";

export const ISSUE_BODY = `# Notifications\n\n\`\`\`yaml\n${PLAN_YAML}\`\`\`\n`;

export const T0 = "2026-03-02T09:00:00Z";

/** `minutes` after T0, as GitHub writes times. */
export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
}

/** A fresh GitHub at T0 whose issue #1 holds the feature. */
export function notifications(options: WorldOptions = {}): World {
  return new World({ body: ISSUE_BODY, start: T0, ...options });
}

/** A batch's run ends between `started` and `ended`: its file, a report naming its client (`fields` change it). */
export function finish(
  world: World,
  run: WorkflowRun,
  started: string,
  ended: string,
  fields: Partial<ReportInput> = {},
  conclusion: Finish["conclusion"] = "success",
): Delivery {
  const batch = run.inputs.batch!;
  return world.finishRun(run, {
    started,
    at: ended,
    files: [FILES[batch]!],
    conclusion,
    report: {
      changes: [{ file: FILES[batch]!, line: 1, summary: `${batch} done` }],
      integrationPoints: [`${batch}: exports ${batch}Client`],
      blockers: [],
      summary: `Finished ${batch}.`,
      ...fields,
    },
  });
}

/** The id of the comment a delivery is about. */
export function commentId(delivery: Delivery): number {
  if (delivery.name !== "issue_comment") throw new Error(`${delivery.name} is not about a comment`);
  return delivery.payload.comment.id;
}
