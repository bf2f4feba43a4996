/**
 * The small feature the lifecycle tests coordinate on the fake GitHub: a
 * YAML plan in the issue body, the events of one whole run, and what a
 * person sees.
 */
import type { Probot } from "probot";
import type { Call, Delivery } from "../../src/fakeGitHub/fakeGitHub.js";
import type { State } from "../../src/state/stateSchema.js";
import { R, World, deliver, type WorldOptions } from "./world.js";

export { R };
export const DISPATCH = `POST ${R}/actions/workflows/parallel-coordinator-agent.yml/dispatches`;
export const COMMENTS = `GET ${R}/issues/1/comments`;
/** Whether the person who labelled the issue may start a coordination. */
export const LABELER = `GET ${R}/collaborators/maintainer/permission`;
export const CONFIG = [
  `GET ${R}/contents/.github%2Fparallel-coordinator.yml`,
  "GET /repos/Codertocat/.github/contents/.github%2Fparallel-coordinator.yml",
];
/** The check-in's read of a batch pull request's head tree (the modes of its files), at the pull request's head. */
export function headTree(world: World, pr: number): string {
  const pull = world.repo.pulls.get(pr)!;
  return `GET ${R}/git/trees/${world.repo.pullShas(pull).head}`;
}
/** An edit of the dashboard: the first comment of a fresh world, so the fake's first comment id. */
export const DASHBOARD = `PATCH ${R}/issues/comments/1001`;

/** api (backend) and styles (frontend) start at once; ui (frontend) needs api. */
const PLAN = `agents: 2
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

/** A fresh GitHub whose issue #1 holds the feature (or `options.body`). */
export function feature(options: WorldOptions = {}): World {
  return new World({ body: BODY, ...options });
}

export const at = (minute: number) => `2026-01-05T09:${String(minute).padStart(2, "0")}:00Z`;

export function stateOf(world: World): State {
  return world.state();
}

export function statuses(state: State): Record<string, string> {
  return Object.fromEntries(Object.entries(state.batches).map(([id, batch]) => [id, batch.status]));
}

/** A dispatch's body, as the app sends it. */
export interface DispatchBody {
  ref: string;
  return_run_details?: boolean;
  inputs: Record<string, string>;
}

/** The bodies of the requests `METHOD /path` among `calls`. */
export function bodiesOf<T>(calls: Call[], request: string): T[] {
  return calls.filter((call) => `${call.method} ${call.path}` === request).map((call) => call.body as T);
}

/** What a person sees on GitHub: comments, check runs, dispatches, pull requests, branches. */
export function observable(world: World) {
  return {
    comments: world
      .comments()
      .map((comment) => comment.body.replace(/<!-- parallel-coordinator:state [^>]*-->/, "<state>")),
    checkRuns: world
      .checkRuns()
      .map(({ name, headSha, status, conclusion, title, summary, annotations, externalId }) => ({
        name,
        headSha,
        status,
        conclusion,
        title,
        summary,
        annotations,
        externalId,
      })),
    dispatches: world.dispatches().map((run) => [run.headBranch, run.inputs.key]),
    pulls: world.pulls().map((pull) => [pull.number, pull.head, pull.base, pull.state, pull.merged]),
    refs: [...world.branches()],
  };
}

/** The events of the whole coordination, in order; each is made when it is due (the runner's work happens then). */
export const STEPS: Array<{ id: string; make: (world: World) => Delivery }> = [
  { id: "d-start", make: (world) => world.labeled(at(0)) },
  {
    id: "d-styles",
    make: (world) => world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }),
  },
  // api's first run also changes a frontend file: ⚠, one redo.
  {
    id: "d-api-1",
    make: (world) =>
      world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py", "frontend/styles/theme.css"], at: at(18) }),
  },
  { id: "d-api-2", make: (world) => world.finishRun("pc-1-api-2", { files: ["backend/api/routes.py"], at: at(30) }) },
  { id: "d-ui", make: (world) => world.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(50) }) },
];

/**
 * The whole small coordination, event by event. `each` runs after every
 * delivery (with the delivery and its step's id), e.g. to redeliver it.
 */
export async function coordinate(
  probot: Probot,
  world: World,
  each: (delivery: Delivery, id: string) => Promise<void> = async () => {},
): Promise<void> {
  for (const step of STEPS) {
    const delivery = step.make(world);
    await deliver(probot, delivery);
    await each(delivery, step.id);
  }
}
