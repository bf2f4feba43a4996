/**
 * The small feature the lifecycle tests coordinate, and how they look at the
 * fake GitHub: a YAML plan in the issue body, the events of one whole run.
 */
import type { Probot } from "probot";
import { payload, stateSecret } from "./app.js";
import { deliver, type FakeGitHub } from "./fakeGitHub.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import type { State } from "../../src/state/stateSchema.js";

export const key = stateKey(stateSecret);
export const R = "/repos/Codertocat/Hello-World";
export const DISPATCH = `POST ${R}/actions/workflows/parallel-coordinator-agent.yml/dispatches`;
export const COMMENTS = `GET ${R}/issues/1/comments`;
export const CONFIG = [`GET ${R}/contents/.github%2Fparallel-coordinator.yml`, "GET /repos/Codertocat/.github/contents/.github%2Fparallel-coordinator.yml"];

/** api (backend) and styles (frontend) start at once; ui (frontend) needs api. */
export const PLAN = `agents: 2
tasks:
  - id: api
    title: Notification API
    domain: backend
    files: ["backend/api/**"]
    estimate: 20
  - id: styles
    title: Bell styles
    domain: frontend
    files: ["frontend/styles/**"]
    estimate: 20
  - id: ui
    title: Notification bell
    domain: frontend
    files: ["frontend/bell/**"]
    estimate: 20
    needs: [api]
`;
export const BODY = `# Notifications\n\n\`\`\`yaml\n${PLAN}\`\`\`\n`;

export function labeled(body = BODY) {
  return payload("issues", "labeled", (value) => {
    value.label.name = "parallel-coordinator";
    value.issue.body = body;
    value.issue.labels = [{ ...value.label, name: "parallel-coordinator" }];
  });
}

export function stateOf(github: FakeGitHub): State {
  const decoded = decodeState(github.dashboard(), key);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.state;
}

export function statuses(state: State): Record<string, string> {
  return Object.fromEntries(Object.entries(state.batches).map(([id, batch]) => [id, batch.status]));
}

/** What a person sees on GitHub: comments, check runs, dispatches, pull requests. */
export function observable(github: FakeGitHub) {
  return {
    comments: github.comments.map((comment) => comment.body.replace(/<!-- parallel-coordinator:state [^>]*-->/, "<state>")),
    checkRuns: github.checkRuns,
    dispatches: github.dispatches.map((dispatch) => [dispatch.ref, dispatch.inputs.key]),
    pulls: github.pulls.map((pull) => [pull.number, pull.head, pull.base, pull.state, pull.mergedAt !== null]),
    refs: [...github.refs.entries()],
  };
}

export const at = (minute: number) => `2026-01-05T09:${String(minute).padStart(2, "0")}:00Z`;

/** The events of the whole coordination, in order; each makes its payload when it is due (the runner's work happens then). */
export const STEPS: Array<{ id: string; name: string; make: (github: FakeGitHub) => unknown }> = [
  { id: "d-start", name: "issues", make: () => labeled() },
  { id: "d-styles", name: "workflow_run", make: (github) => github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }) },
  // api's first run also changes a frontend file: ⚠, one redo.
  { id: "d-api-1", name: "workflow_run", make: (github) => github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py", "frontend/styles/theme.css"], at: at(18) }) },
  { id: "d-api-2", name: "workflow_run", make: (github) => github.finishRun("pc-1-api-2", { files: ["backend/api/routes.py"], at: at(30) }) },
  { id: "d-ui", name: "workflow_run", make: (github) => github.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(50) }) },
];

/**
 * The whole small coordination, event by event. `each` runs after every
 * delivery (with its name, payload and id), e.g. to redeliver it.
 */
export async function coordinate(
  probot: Probot,
  github: FakeGitHub,
  each: (name: string, value: unknown, id: string) => Promise<void> = async () => {},
): Promise<void> {
  for (const step of STEPS) {
    const value = step.make(github);
    await deliver(probot, step.name, value, step.id);
    await each(step.name, value, step.id);
  }
}
