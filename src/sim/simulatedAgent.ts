import { isGlob } from "../plan/glob.js";
import { reportBlock } from "../report/reportBlock.js";
import type { Report } from "../report/reportSchema.js";
import { judge } from "../schedule/judge.js";
import { ScopeSchema, type Scope } from "../schedule/runScope.js";
import { ACTIONS_LOGIN, HttpError } from "../fakeGitHub/conventions.js";
import type { FakeGitHub } from "../fakeGitHub/fakeGitHub.js";
import type { Repo, WorkflowRun } from "../fakeGitHub/repository.js";

/**
 * The scripted agent: plays one workflow run of the agent workflow the way the
 * runner would — a commit on the domain branch, the batch's pull request with
 * the report in its body — or fails, blocks or strays out of scope, as the
 * scenario says.
 */

export const outcomes = ["accept", "out-of-scope", "slow", "fail", "blocked"] as const;
export type Outcome = (typeof outcomes)[number];

/** What the agent reads of its brief. */
export interface BriefFacts {
  /** The batch's number on the checklist, and how many there are. */
  number?: number;
  of?: number;
  title?: string;
  /** Minutes. */
  estimate?: number;
  /** Check-in criteria, as the brief lists them. */
  criteria: string[];
}

/** The facts of a brief as `src/render/batchBrief.ts` writes it (`**Batch**: 1 of 6 - Title`, `**Estimated Time**: 20min`, …). */
export function briefFacts(brief: string): BriefFacts {
  const batch = /^\*\*Batch\*\*:\s*(\d+)\s+of\s+(\d+)\s+-\s+(.+)$/m.exec(brief);
  const estimate = /^\*\*Estimated Time\*\*:\s*([\d.]+)\s*min/m.exec(brief);
  const section = /^\*\*Check-in criteria\*\*:\s*\n((?:[ \t]*[-*].*\n?)*)/m.exec(brief);
  const criteria = (section?.[1] ?? "")
    .split("\n")
    .filter((line) => /^[-*]\s+/.test(line))
    .map((line) => line.replace(/^[-*]\s+/, "").trim());
  return {
    ...(batch === null ? {} : { number: Number(batch[1]), of: Number(batch[2]), title: batch[3]!.trim() }),
    ...(estimate === null ? {} : { estimate: Number(estimate[1]) }),
    criteria,
  };
}

/** What the scripted agent reports using, a minute: made up, so that a simulation has figures to show. */
export const usagePerMinute = { tokens: 1_000, usd: 0.02 } as const;

/** Minutes the run takes: the brief's estimate (20 when it has none), twice that when slow. */
export function runMinutes(run: WorkflowRun, outcome: Outcome): number {
  const estimate = briefFacts(run.inputs.brief ?? "").estimate ?? 20;
  return outcome === "slow" ? 2 * estimate : estimate;
}

/** The run's work, done when it ends; returns the run's conclusion. */
export function playRun(github: FakeGitHub, repo: Repo, run: WorkflowRun, outcome: Outcome): "success" | "failure" {
  if (outcome === "fail") return "failure";
  const { inputs } = run;
  const issue = Number(inputs.issue);
  const batch = inputs.batch ?? "?";
  const attempt = inputs.attempt ?? "1";
  const scope = scopeOf(inputs.scope);
  // A runner without a valid scope or issue stops before the agent starts.
  if (scope === undefined || !Number.isInteger(issue) || issue <= 0) return "failure";
  const facts = briefFacts(inputs.brief ?? "");
  const name = facts.number === undefined ? `Batch ${batch}` : `Batch ${facts.number} of ${facts.of}`;
  const title = facts.title ?? `batch ${batch}`;
  const report: Report = {
    version: 1,
    issue,
    batch,
    run: run.id,
    status: "Complete",
    changes: [],
    acceptance: facts.criteria.map((check) => ({ check, passed: true, output: "" })),
    integrationPoints: [],
    blockers: [],
    outOfScope: [],
    summary: "",
    usage: usageOf(runMinutes(run, outcome)),
  };

  try {
    if (outcome === "blocked") {
      const blocker = `${name} needs a decision before it can go on (the scenario blocks this run).`;
      github.addComment(
        repo,
        issue,
        ACTIONS_LOGIN,
        `⛔ ${name}: ${title} is blocked: ${blocker}\n\n${reportBlock({ ...report, status: "Blocked", acceptance: [], blockers: [blocker], summary: "Blocked before changing anything." })}`,
      );
      return "success";
    }

    const branch = run.headBranch;
    const base = inputs.base ?? repo.defaultBranch;
    const file = inScopePath(scope, `batch-${slug(batch)}-${slug(attempt)}`);
    const changes: Record<string, string | null> = {};
    // It changes what it is asked to and leaves the rest of the branch as it finds it: what an earlier run left there is the app's to clear.
    const headSha = repo.branch(branch);
    if (file !== undefined) {
      const existing = headSha === undefined ? undefined : repo.tree(headSha).get(file);
      changes[file] = `${existing ?? ""}// ${name}: ${title} (attempt ${attempt}, run ${run.id})\n`;
      report.changes.push({ file, line: (existing ?? "").split("\n").length, summary: `${title} (scripted)` });
      report.integrationPoints.push(`Batch ${batch} contract at ${file}:1`);
    }
    if (outcome === "out-of-scope") {
      const outside = outOfScopePath(scope, `batch-${slug(batch)}-${slug(attempt)}`);
      changes[outside] = `# changed by ${name}, outside its scope\n`;
      report.outOfScope.push({ file: outside, reverted: false });
    }
    report.summary = file === undefined ? `${title}: nothing in scope to change.` : `${title}: done in ${file}.`;
    if (Object.keys(changes).length > 0)
      github.commit(repo, branch, changes, `${name}: ${title} (attempt ${attempt})`, ACTIONS_LOGIN);

    const pullTitle = `[#${issue}] ${name}: ${title}`;
    const body = `${name} of #${issue}: ${title}, by the simulator's scripted agent (run ${run.id}, attempt ${attempt}).\n\n${reportBlock(report)}`;
    const open = github.openPull(repo, branch, base);
    if (open !== undefined) github.updatePull(repo, open, { title: pullTitle, body });
    else github.createPull(repo, { head: branch, base, title: pullTitle, body, user: ACTIONS_LOGIN });
    return "success";
  } catch (error) {
    // What GitHub refused the runner (no base branch, nothing to commit): the run fails, as it would.
    if (error instanceof HttpError) return "failure";
    throw error;
  }
}

function usageOf(minutes: number): NonNullable<Report["usage"]> {
  return {
    tokens: Math.round(usagePerMinute.tokens * minutes),
    usd: Math.round(usagePerMinute.usd * minutes * 100) / 100,
  };
}

function scopeOf(text: string | undefined): Scope | undefined {
  try {
    const parsed = ScopeSchema.safeParse(JSON.parse(text ?? ""));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the runner would keep a change of a regular file at `path`: inside the scope, and not protected. */
function kept(path: string, scope: Scope): boolean {
  return judge({ path, newMode: "100644" }, scope).kind === "keep";
}

/** A file the batch may change: one its scope names, or a new one made up from an allowed glob (`backend/**` → `backend/<name>.txt`). */
export function inScopePath(scope: Scope, name: string): string | undefined {
  const candidates = scope.allow.flatMap((pattern) => pathsFor(pattern, name));
  return [...candidates, `sim/${name}.txt`].find((path) => kept(path, scope));
}

/**
 * A file the batch must not change: another domain's, else one outside what it
 * may change; a workflow (a protected path, refused outright) only when its
 * scope takes in everything else.
 */
export function outOfScopePath(scope: Scope, name: string): string {
  const candidates = [...scope.deny.flatMap((pattern) => pathsFor(pattern, name)), `elsewhere/${name}.txt`];
  return (
    candidates.find((path) => judge({ path, newMode: "100644" }, scope).kind === "outOfScope") ??
    ".github/workflows/evil.yml"
  );
}

/** Concrete paths a pattern matches: the path itself, or the glob with its wildcards filled in. */
function pathsFor(pattern: string, name: string): string[] {
  if (!isGlob(pattern)) return [pattern];
  const segments = pattern.split("/");
  const filled = segments
    .filter((segment) => segment !== "**")
    .map((segment) =>
      isGlob(segment)
        ? segment
            .replace(/\{([^,}]*)[^}]*\}/g, "$1")
            .replace(/\[!?([^\]])[^\]]*\]/g, "$1")
            .replace(/\*+/g, name)
            .replace(/\?/g, "x")
            .replace(/[!+@()]/g, "")
        : segment,
    );
  if (segments[segments.length - 1] === "**") filled.push(`${name}.txt`);
  const path = filled.join("/");
  return path.includes("/") ? [path] : [`sim/${path}`, path];
}

function slug(text: string): string {
  return text.replace(/[^\w.-]+/g, "-");
}
