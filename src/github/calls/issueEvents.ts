import type { IssueRef, Octokit } from "./githubTypes.js";

/** Who last added a label to an issue, and when: from the issue's events, every page. */
export async function lastLabeled(
  octokit: Octokit,
  where: IssueRef,
  label: string,
): Promise<{ by: string; at: string } | undefined> {
  const events = await octokit.paginate(octokit.rest.issues.listEvents, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issue,
    per_page: 100,
  });
  const labeled = events
    .filter((event) => event.event === "labeled" && "label" in event && event.label.name === label)
    .at(-1);
  return labeled?.actor === undefined || labeled.actor === null
    ? undefined
    : { by: labeled.actor.login, at: labeled.created_at };
}
