import { createHash } from "node:crypto";
import { defaultConfig, type ConfigResult } from "../base/config.js";
import { mayCommand } from "../commands/permissions.js";
import { ensureComment, listComments } from "../github/calls/issueComments.js";
import { lastLabeled } from "../github/calls/issueEvents.js";
import { roleOf } from "../github/calls/permission.js";
import type { IssueRef } from "../github/calls/githubTypes.js";
import { commentMarker } from "../github/stores/markers.js";
import { renderMessage } from "../render/renderMessage.js";
import type { Deps, StepOrigin } from "./deps.js";
import { startCoordination } from "./startCoordination.js";

/** An issue with no state of the app's, as much as taking it up reads. */
export interface LostIssue {
  where: IssueRef;
  repoUrl: string;
  defaultBranch: string;
  title: string;
  body: string;
  /** Who opened it: unless they may command too, the body's acceptance commands are withheld. */
  author: string;
  createdAt: string;
  labels: string[];
  config: ConfigResult;
}

/** An issue as GitHub lists or gets it: as much of it as a `LostIssue` takes. */
interface ListedIssue {
  number: number;
  title: string;
  body?: string | null;
  user: { login: string } | null;
  created_at: string;
  labels: Array<string | { name?: string }>;
}

/** The `LostIssue` of an issue GitHub listed or gave, in its repository with its config. */
export function lostIssueOf(
  issue: ListedIssue,
  repo: { owner: string; repo: string },
  repository: { html_url: string; default_branch: string },
  config: ConfigResult,
): LostIssue {
  return {
    where: { ...repo, issue: issue.number },
    repoUrl: repository.html_url,
    defaultBranch: repository.default_branch,
    title: issue.title,
    body: issue.body ?? "",
    author: issue.user?.login ?? "ghost",
    createdAt: issue.created_at,
    labels: issue.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))),
    config,
  };
}

/**
 * An issue that names a coordination but holds no state of it: the label's
 * step was lost before its first write (the sweep finds the label), or the
 * dashboard was deleted or damaged with no checkpoint to restore from (a run
 * of it ended). When the issue carries the label and the person who last
 * added it may command, the coordination is taken up as of the label: started,
 * or — when GitHub holds runs of it — rebuilt from the breakdown and them
 * (`startCoordination`). Otherwise, when `reason` says what was lost, one
 * comment says so and how to go on; never silence. `now`: the time of the
 * event that found it. Whether it was taken up.
 */
export async function takeUpLost(
  origin: StepOrigin,
  deps: Deps,
  issue: LostIssue,
  now: string,
  reason?: string,
): Promise<boolean> {
  const { octokit } = origin;
  const { where, config } = issue;
  const label = config.ok ? config.config.label : defaultConfig.label;
  const labeled = issue.labels.includes(label) ? await lastLabeled(octokit, where, label) : undefined;
  const permitted =
    labeled !== undefined &&
    mayCommand(
      await roleOf(octokit, where, labeled.by),
      config.ok ? config.config.permission : defaultConfig.permission,
    );
  if (!permitted) {
    if (reason !== undefined) await sayLost(origin, where, reason, label);
    return false;
  }
  origin.log.info(
    {
      delivery: origin.id,
      step: `${where.owner}/${where.repo}#${where.issue}`,
      labeledBy: labeled.by,
      labeledAt: labeled.at,
    },
    "taking up a labelled issue that holds no state",
  );
  await startCoordination(origin, deps, {
    where,
    repoUrl: issue.repoUrl,
    config,
    title: issue.title,
    body: issue.body,
    defaultBranch: issue.defaultBranch,
    at: labeled.at,
    issueCreatedAt: issue.createdAt,
    force: false,
    split: false,
    by: labeled.by,
    author: issue.author,
    lost: { now, ...(reason === undefined ? {} : { reason }) },
  });
  return true;
}

/** Says once, for as long as the reason is the same, that the state is lost and how to go on; a later label looks for its marker (`lostStateMarker`). */
async function sayLost(origin: StepOrigin, where: IssueRef, reason: string, label: string): Promise<void> {
  const body = renderMessage({ kind: "stateLost", reason, unknown: [], label });
  const marker = commentMarker(`state-lost-${createHash("sha256").update(body).digest("hex").slice(0, 16)}`);
  await ensureComment(origin.octokit, where, await listComments(origin.octokit, where), marker, `${body}\n\n${marker}`);
}
