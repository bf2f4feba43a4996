/**
 * The one fake GitHub (src/fakeGitHub/) as the integration tests use it: the
 * repository Codertocat/Hello-World on `master` with the agent workflow and a
 * feature issue #1, people who label it and comment, a runner that finishes
 * the batches' runs, and a real Probot running the real app whose every
 * request goes to the fake through its Octokit's `request.fetch`, as the
 * simulator's does.
 *
 * GitHub's clock is the time of the latest thing a test does (a label, a
 * comment, a run's end): dispatches and merges happen then. Every webhook
 * the fake sends is kept; a test delivers the ones it wants, when it wants,
 * as often as it wants (a redelivery), to whichever app it wants (a replica,
 * a restarted one).
 */
import { createPublicKey } from "node:crypto";
import { Probot, type Options } from "probot";
import { afterEach, expect } from "vitest";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { FakeGitHub, type Call, type Delivery, type FakeGitHubOptions } from "../../src/fakeGitHub/fakeGitHub.js";
import type {
  CheckRun,
  Issue,
  IssueComment,
  MergeMethod,
  Pull,
  Repo,
  WorkflowRun,
} from "../../src/fakeGitHub/repository.js";
import { loadRequestChecker } from "../../src/fakeGitHub/requestChecker.js";
import { dashboardMarker } from "../../src/github/stores/markers.js";
import { createApp, type AppOptions } from "../../src/probotApp.js";
import type { SweepPass } from "../../src/handlers/installationSweep.js";
import { reportBlock } from "../../src/report/reportBlock.js";
import { ReportSchema, type ReportInput } from "../../src/report/reportSchema.js";
import { probotOptions } from "../../src/sim/probotOptions.js";
import { agentWorkflow } from "../../src/sim/run.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import type { State } from "../../src/state/stateSchema.js";
import { privateKey, stateSecret, webhookSecret } from "./appHarness.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const ISSUE = 1;
export const R = `/repos/${OWNER}/${REPO}`;
export const MAINTAINER = "maintainer";
const APP_ID = 123;
const INSTALLATION_ID = 2;
const AGENT_PATH = ".github/workflows/parallel-coordinator-agent.yml";

/** GitHub's REST description, read once per test worker: every request is checked against it. */
const checker = await loadRequestChecker();

export interface WorldOptions {
  /** The feature issue's body. */
  body?: string;
  /** Labels the issue is opened with (GitHub sends `issues.opened`, then `issues.labeled` for each). */
  /** Who opens the issue (and applies its labels): the maintainer by default. */
  author?: string;
  labels?: string[];
  /** `.github/parallel-coordinator.yml`; none by default. */
  config?: string;
  /** The inputs the agent workflow declares; by default it is the project's own template. */
  declaredInputs?: readonly string[];
  mergeMethods?: MergeMethod[];
  /** Branches at `master`'s head besides it. */
  branches?: string[];
  /** More files on `master` (other workflows). */
  files?: Record<string, string>;
  returnRunDetails?: FakeGitHubOptions["returnRunDetails"];
  /** GitHub's clock at the start. */
  start?: string;
}

/** How a run ends, and what the runner publishes when it ends well. */
export interface Finish {
  /** When the run ends. */
  at: string;
  /** When it started: when it was dispatched, unless given. */
  started?: string;
  /** The files the run changes, committed on its branch as the run found it. */
  files?: string[];
  /** Fields of the report in the pull request's body. */
  report?: Partial<ReportInput>;
  conclusion?: "success" | "failure" | "cancelled" | "timed_out";
  /** Ends well without touching the pull request (an agent that reported nowhere). */
  noPullRequest?: boolean;
}

const worlds: World[] = [];

/** Fails a test whose app made a request GitHub's description rejects, or one the fake does not know. */
export function useWorlds(): void {
  afterEach(() => {
    for (const world of worlds.splice(0)) expect(world.github.problems).toEqual([]);
  });
}

export class World {
  readonly github: FakeGitHub;
  readonly repo: Repo;
  readonly issue: Issue;
  /** GitHub's clock. */
  now: string;
  /** Every webhook GitHub sent, in order. */
  readonly sent: Delivery[] = [];
  #taken = 0;

  constructor(options: WorldOptions = {}) {
    this.now = options.start ?? "2026-01-05T09:00:00Z";
    this.github = new FakeGitHub({
      appId: APP_ID,
      publicKey: createPublicKey(privateKey),
      installationId: INSTALLATION_ID,
      clock: () => this.now,
      ...(options.returnRunDetails === undefined ? {} : { returnRunDetails: options.returnRunDetails }),
    });
    this.github.checkRequests = checker;
    this.github.onWebhook = (delivery) => this.sent.push(delivery);
    this.repo = this.github.createRepo({
      owner: OWNER,
      name: REPO,
      defaultBranch: "master",
      private: false,
      files: {
        "README.md": "# Hello-World\n",
        [AGENT_PATH]:
          options.declaredInputs === undefined ? agentWorkflow() : workflowDeclaring(options.declaredInputs),
        ...(options.config === undefined ? {} : { ".github/parallel-coordinator.yml": options.config }),
        ...options.files,
      },
      collaborators: { [MAINTAINER]: "write", admin: "admin", reader: "read", triager: "triage" },
      ...(options.mergeMethods === undefined ? {} : { mergeMethods: options.mergeMethods }),
    });
    for (const branch of options.branches ?? [])
      this.github.createRef(this.repo, `refs/heads/${branch}`, this.repo.branch("master")!, MAINTAINER);
    this.issue = this.github.createIssue(this.repo, {
      title: "Notifications",
      body: options.body ?? "",
      user: options.author ?? MAINTAINER,
      ...(options.labels === undefined ? {} : { labels: options.labels }),
    });
    worlds.push(this);
  }

  // ---------------------------------------------------------------------------
  // The app

  /** Probot's options for an app talking to this GitHub (retries and throttling off). */
  probotOptions(): Options {
    return probotOptions(this.github.fetch, { appId: APP_ID, privateKey, secret: webhookSecret, logLevel: "fatal" });
  }

  /** The real app in a real Probot; by default it waits for each step before answering a delivery. */
  probot(app: Partial<AppOptions> = {}): Probot {
    const probot = new Probot(this.probotOptions());
    void probot.load(createApp({ stateSecret, wait: true, ...app }));
    return probot;
  }

  /**
   * The real app started as `npm start` starts it, with the sweep (at GitHub's
   * clock, unhurried by any budget): the app once its start-up pass over the
   * installation has ended, and what the pass did.
   */
  async probotSwept(app: Partial<AppOptions> = {}): Promise<{ probot: Probot; pass: SweepPass }> {
    let ended: (pass: SweepPass) => void = () => {};
    const passed = new Promise<SweepPass>((resolve) => (ended = resolve));
    const probot = this.probot({
      sweep: { everyMs: 3_600_000, callsPerHour: Infinity, clock: () => this.now, onPass: (pass) => ended(pass) },
      ...app,
    });
    return { probot, pass: await passed };
  }

  // ---------------------------------------------------------------------------
  // What people and the runner do; each answers the webhook GitHub sends for it

  /** A maintainer (or `by`) labels the issue (taking the label off first when it is on, as a person does to label again). */
  labeled(at = this.now, label = "parallel-coordinator", by = MAINTAINER): Delivery {
    this.now = at;
    this.github.removeLabel(this.repo, this.issue, label, by);
    this.github.addLabel(this.repo, this.issue, label, by);
    return this.#last("issues");
  }

  /** A comment on the issue; `issueBody` edits the issue's body first, `private` makes the repository so or not. */
  comment(body: string, by: string, at: string, options: { issueBody?: string; private?: boolean } = {}): Delivery {
    this.now = at;
    if (options.issueBody !== undefined && options.issueBody !== this.issue.body)
      this.github.editIssue(this.repo, this.issue, options.issueBody, by);
    if (options.private !== undefined) this.repo.private = options.private;
    this.github.addComment(this.repo, ISSUE, by, body);
    return this.#last("issue_comment");
  }

  /** A person presses a button of a check run (GitHub sends the app `check_run.requested_action`). */
  press(run: CheckRun, identifier: string, by = MAINTAINER): Delivery {
    this.github.pressCheckRunButton(this.repo, run, identifier, by);
    return this.#last("check_run");
  }

  /** A person edits their comment. */
  editComment(id: number, body: string, by: string): Delivery {
    this.github.editComment(this.repo, this.repo.comments.get(id)!, body, by);
    return this.#last("issue_comment");
  }

  /** A person pushes a commit to a branch. */
  push(branch: string, files: Record<string, string | null>, by = MAINTAINER): string {
    return this.github.commit(this.repo, branch, files, `${by} pushes`, by).sha;
  }

  /**
   * A run of the agent workflow ends: with `success`, the runner first commits
   * the batch's files on its branch and opens (or updates) the batch's pull
   * request with its report, as a GITHUB_TOKEN. Answers the
   * `workflow_run.completed` GitHub sends (or drops, as a fault says); for a
   * run already over (cancelled), the one GitHub sent then.
   */
  finishRun(which: WorkflowRun | string, finish: Finish): Delivery {
    const run = typeof which === "string" ? this.runOf(which) : which;
    if (run.status === "pending") throw new Error(`run ${run.id} waits for its concurrency group: it cannot end`);
    if (run.status !== "completed") {
      if (run.status === "queued") {
        this.now = finish.started ?? run.createdAt;
        this.github.setRunStatus(this.repo, run, "in_progress");
      }
      this.now = finish.at;
      const conclusion = finish.conclusion ?? "success";
      if (conclusion === "success" && finish.noPullRequest !== true) this.#publish(run, finish);
      this.github.setRunStatus(this.repo, run, "completed", conclusion);
    }
    return this.github.deliveries.findLast(
      ({ delivery }) =>
        delivery.name === "workflow_run" &&
        delivery.payload.action === "completed" &&
        delivery.payload.workflow_run.id === run.id,
    )!.delivery;
  }

  #publish(run: WorkflowRun, finish: Finish): void {
    const branch = run.headBranch;
    const base = run.inputs.base!;
    const batch = run.inputs.batch!;
    const files = finish.files ?? [];
    // The run commits its own change on the branch as it found it: what was on it before is the app's to clear.
    const changes: Record<string, string | null> = {};
    for (const file of files) changes[file] = `${file}, as run ${run.id} (${run.inputs.key}) left it\n`;
    this.github.commit(this.repo, branch, changes, `Batch ${batch} (${run.inputs.key})`, ACTIONS_LOGIN);
    const report = ReportSchema.parse({
      version: 1,
      issue: ISSUE,
      batch,
      run: run.id,
      status: "Complete",
      changes: files.map((file, index) => ({ file, line: index + 1, summary: `changed ${file}` })),
      acceptance: [{ check: "tests", passed: true, output: "ok" }],
      integrationPoints: [`${batch} is ready at ${files[0] ?? "?"}`],
      summary: `Batch ${batch} done.`,
      ...finish.report,
    });
    const body = `Batch ${batch}, attempt ${run.inputs.attempt}.\n\n${reportBlock(report)}\n`;
    const open = this.github.openPull(this.repo, branch, base);
    if (open !== undefined) this.github.updatePull(this.repo, open, { body });
    else this.github.createPull(this.repo, { head: branch, base, title: `Batch ${batch}`, body, user: ACTIONS_LOGIN });
  }

  /** The webhook of an event GitHub sent last (or dropped, as a fault says): what a workflow it started sent after it is not it. */
  #last(event: Delivery["name"]): Delivery {
    return this.github.deliveries.findLast(({ delivery }) => delivery.name === event)!.delivery;
  }

  // ---------------------------------------------------------------------------
  // What GitHub holds

  /** The agent workflow's runs, in the order they were dispatched. */
  dispatches(): WorkflowRun[] {
    return [...this.repo.runs.values()].filter((run) => run.path === AGENT_PATH);
  }

  /** The latest run dispatched with a key (a repeated step dispatches twice; the later run is the one recorded). */
  runOf(key: string): WorkflowRun {
    const found = this.dispatches().findLast((run) => run.inputs.key === key);
    if (found === undefined)
      throw new Error(
        `no run was dispatched with key ${key}; dispatched: ${this.dispatches()
          .map((run) => run.inputs.key)
          .join(", ")}`,
      );
    return found;
  }

  /** The latest run of a batch. */
  dispatchOf(batch: string): WorkflowRun {
    const found = this.dispatches().findLast((run) => run.inputs.batch === batch);
    if (found === undefined) throw new Error(`batch ${batch} was never dispatched`);
    return found;
  }

  /** The issue's comments, oldest first. */
  comments(): IssueComment[] {
    return [...this.repo.comments.values()].filter((comment) => comment.issue === ISSUE);
  }

  appComments(): IssueComment[] {
    return this.comments().filter((comment) => comment.user === APP_LOGIN);
  }

  dashboard(): IssueComment | undefined {
    return this.appComments().find((comment) => comment.body.includes(dashboardMarker));
  }

  /** The dashboard as a person reads it (without the word joiners that keep `@name` from pinging). */
  dashboardText(): string {
    return (this.dashboard()?.body ?? "").replaceAll("\u2060", "");
  }

  /** The state the dashboard holds, verified as the app would. */
  state(): State {
    const decoded = decodeState(this.dashboard()?.body, stateKey(stateSecret));
    if (!decoded.ok) throw new Error(`the dashboard holds no state: ${decoded.reason}`);
    return decoded.state;
  }

  pulls(): Pull[] {
    return [...this.repo.pulls.values()].sort((a, b) => a.number - b.number);
  }

  checkRuns(): CheckRun[] {
    return [...this.repo.checkRuns.values()];
  }

  /** Branch → commit sha. */
  branches(): Map<string, string> {
    return new Map(
      [...this.repo.refs].flatMap(([ref, sha]) =>
        ref.startsWith("refs/heads/") ? [[ref.slice("refs/heads/".length), sha] as const] : [],
      ),
    );
  }

  /** The pull requests merged, in the order they merged. */
  merged(): number[] {
    return this.github.history.flatMap((entry) =>
      entry.kind === "merge" && entry.via === "pull" ? [entry.pull!] : [],
    );
  }

  /** The runs the app had cancelled, in the order it asked. */
  cancelled(): number[] {
    return this.github.calls
      .filter((call) => call.route === "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel" && call.status === 202)
      .map((call) => Number(call.path.split("/").at(-2)));
  }

  /** The app's reactions, as `{ comment, content }`. */
  reactions(): Array<{ comment: number; content: string }> {
    return this.repo.reactions.map((reaction) => ({ comment: reaction.commentId, content: reaction.content }));
  }

  // ---------------------------------------------------------------------------
  // The app's requests

  /** The requests to the repository since the last take (not the app's own, for its token), as `METHOD /path` without the query. */
  take(): string[] {
    return this.takeCalls().map((call) => `${call.method} ${call.path}`);
  }

  takeCalls(): Call[] {
    const calls = this.github.calls.slice(this.#taken);
    this.#taken = this.github.calls.length;
    return calls.filter((call) => !call.path.startsWith("/app/"));
  }

  /** Installation tokens the app asked for. */
  tokens(): number {
    return this.github.calls.filter((call) => call.route === "POST /app/installations/{installation_id}/access_tokens")
      .length;
  }

  /** The requests since the `from`th that change something on GitHub or tell somebody something (not reads, not the token). */
  writes(from = 0): Array<Pick<Call, "method" | "path" | "body">> {
    return this.github.calls
      .slice(from)
      .filter((call) => call.method !== "GET" && !call.path.startsWith("/app/"))
      .map(({ method, path, body }) => ({ method, path, body }));
  }

  /** The dashboard's edits since the `from`th request. */
  dashboardEdits(from = 0): Call[] {
    const id = this.dashboard()?.id;
    return this.github.calls
      .slice(from)
      .filter((call) => call.method === "PATCH" && call.path === `${R}/issues/comments/${id}`);
  }
}

/** Delivers a webhook to an app, as GitHub would. */
export async function deliver(probot: Probot, delivery: Delivery): Promise<void> {
  await probot.receive(delivery as unknown as Parameters<Probot["receive"]>[0]);
}

/** An agent workflow that declares exactly these inputs, all required. */
function workflowDeclaring(inputs: readonly string[]): string {
  return `name: parallel-coordinator agent\nrun-name: "parallel-coordinator \${{ inputs.key }}"\non:\n  workflow_dispatch:\n    inputs:\n${inputs.map((name) => `      ${name}: { required: true }\n`).join("")}jobs: {}\n`;
}
