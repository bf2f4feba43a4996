import { mayCommand } from "../../commands/permissions.js";
import type { Plan } from "../../plan/planModel.js";
import { mirrorBody, mirrorTitle, renderMirrorMessage } from "../../render/mirrorIssue.js";
import type { Event } from "../../state/events.js";
import {
  mirrorChanges,
  mirrorLabel,
  mirrorOf,
  mirrorRoom,
  plannedFromSubIssues,
  type FoundMirror,
  type MirrorMessage,
  type WantedMirror,
} from "../../state/mirror.js";
import type { State } from "../../state/stateSchema.js";
import { isTransient, messageOf, statusOf } from "../calls/httpErrors.js";
import { ensureComment, listComments } from "../calls/issueComments.js";
import {
  addBlockedBy,
  addSubIssue,
  blockedByIds,
  closedBy,
  createIssue,
  newestIssues,
  removeBlockedBy,
  subIssuesOf,
  updateIssue,
  type IssueSeen,
} from "../calls/mirrorIssues.js";
import { roleOf } from "../calls/permission.js";
import type { Comment, IssueRef, Octokit } from "../calls/githubTypes.js";
import { commentMarker, mirroredBatch, mirrorMarker } from "../stores/markers.js";

/** The feature issue as a step sees it: its comments (a comment posted here is found by the next) and the app's login. */
export interface FeatureIssue {
  octokit: Octokit;
  where: IssueRef;
  comments: Comment[];
  appLogin?: string;
}

/** What a pass over the mirror leaves: each batch's sub-issue, and the `/skip`s of people who closed one. */
export interface Mirrored {
  links: Record<string, number>;
  skips: Event[];
}

/**
 * Brings the batches' sub-issues up to the state (see state/mirror.ts), when
 * the config asks for the mirror: makes what is missing (found again by its
 * hidden marker when a step stopped before adding it, never made twice), adds
 * it under the feature issue, brings titles, labels and states up to date,
 * links each to the batches it waits for. A sub-issue a person closed while
 * its batch is still to settle is their `/skip`, when they may command
 * (`skips`, for the engine to decide on; only when `adjudicate`), and is
 * opened again otherwise. A refusal of GitHub's that no retry mends (a 4xx)
 * is said once and leaves the coordination to go on without the mirror.
 */
export async function ensureMirror(
  issue: FeatureIssue,
  plan: Plan,
  state: State,
  adjudicate: boolean,
): Promise<Mirrored | undefined> {
  if (state.config.subIssues.mirror !== true) return undefined;
  const links: Record<string, number> = {};
  try {
    return await mirror(issue, plan, state, adjudicate, links);
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined || status < 400 || status >= 500 || isTransient(error)) throw error;
    await say(issue, `mirror-refused-${status}`, { kind: "mirrorRefused", status, message: messageOf(error) });
    return { links, skips: [] };
  }
}

async function mirror(
  issue: FeatureIssue,
  plan: Plan,
  state: State,
  adjudicate: boolean,
  links: Record<string, number>,
): Promise<Mirrored | undefined> {
  const { octokit, where } = issue;
  const subs = await subIssuesOf(octokit, where);
  const ours = (candidate: IssueSeen) =>
    candidate.bot && (issue.appLogin === undefined || candidate.author === issue.appLogin);
  const found = new Map<string, FoundMirror>();
  const others: number[] = [];
  for (const sub of subs) {
    const marked = mirroredBatch(sub.body);
    if (marked?.issue === where.issue && ours(sub) && !found.has(marked.batch))
      found.set(marked.batch, { ...sub, batch: marked.batch });
    else others.push(sub.number);
  }
  // A feature planned from its sub-issues is mirrored by them already.
  if (plannedFromSubIssues(plan, others)) return undefined;
  const wanted: WantedMirror[] = mirrorOf(plan, state).map((item) => ({
    ...item,
    title: mirrorTitle(where.issue, item),
    body: `${mirrorBody(where.issue, item, state.config.permission)}\n\n${mirrorMarker(where.issue, item.batch)}`,
  }));
  for (const [batch, sub] of found) links[batch] = sub.number;
  const { needed, room } = mirrorRoom(wanted, [...found.values()], subs.length);
  if (needed > room) {
    await say(issue, "mirror-too-many", { kind: "mirrorTooMany", needed, room, others: others.length });
    return { links, skips: [] };
  }
  const byBatch = new Map(wanted.map((item) => [item.batch, item]));
  let newest: IssueSeen[] | undefined;
  const skips: Event[] = [];
  for (const change of mirrorChanges(wanted, [...found.values()])) {
    const item = byBatch.get(change.batch);
    switch (change.kind) {
      case "create": {
        const made = item!;
        newest ??= await newestIssues(octokit, where);
        const orphan = newest.find(
          (candidate) =>
            ours(candidate) &&
            candidate.hasParent !== true &&
            mirroredBatch(candidate.body)?.issue === where.issue &&
            mirroredBatch(candidate.body)?.batch === made.batch,
        );
        const created =
          orphan ??
          (await createIssue(octokit, where, {
            title: made.title,
            body: made.body,
            labels: [mirrorLabel(made.status)],
          }));
        await addSubIssue(octokit, where, created.id);
        found.set(made.batch, { ...created, batch: made.batch, blockedBy: created.blockedBy ?? 0 });
        links[made.batch] = created.number;
        // A batch settled already (a re-plan, a step that stopped here), or an orphan from before: as any other.
        const [after] = mirrorChanges([made], [found.get(made.batch)!]).filter((next) => next.kind === "update");
        if (after?.kind === "update") await update(issue, after);
        break;
      }
      case "update":
        await update(issue, change);
        break;
      case "closed":
        if (adjudicate) {
          const skip = await closedByPerson(issue, state, change.number, item!);
          if (skip !== undefined) skips.push(skip);
        }
        break;
      case "link": {
        const sub = found.get(change.batch)!;
        const ids = (batches: readonly string[]) =>
          batches.flatMap((batch) => (found.has(batch) ? [found.get(batch)!.id] : []));
        const want = ids(change.blockedBy);
        const have = await blockedByIds(octokit, where, sub.number);
        for (const id of want) if (!have.includes(id)) await addBlockedBy(octokit, where, sub.number, id);
        // Only links between the mirror's own issues are the app's to take away; people's stay.
        const mirrorIds = ids([...found.keys()]);
        for (const id of have)
          if (!want.includes(id) && mirrorIds.includes(id)) await removeBlockedBy(octokit, where, sub.number, id);
        break;
      }
    }
  }
  return { links, skips };
}

async function update(
  issue: FeatureIssue,
  change: Extract<ReturnType<typeof mirrorChanges>[number], { kind: "update" }>,
) {
  await updateIssue(issue.octokit, issue.where, change.number, {
    ...(change.title === undefined ? {} : { title: change.title }),
    ...(change.labels === undefined ? {} : { labels: change.labels }),
    ...(change.state === undefined
      ? {}
      : change.state.open
        ? { state: "open" as const }
        : { state: "closed" as const, state_reason: change.state.reason }),
  });
}

/**
 * A batch's sub-issue closed while the batch is still to settle. The app's
 * own close (a batch that settled and went back) and another bot's are put
 * back; a person's is `/skip` from them when they may command, said on the
 * feature issue first (keyed by the sub-issue and when it closed, so a
 * repeated step finds it, and its answer is keyed by that comment); anyone
 * else's is put back and answered once on the sub-issue.
 */
async function closedByPerson(
  issue: FeatureIssue,
  state: State,
  number: number,
  item: WantedMirror,
): Promise<Event | undefined> {
  const { octokit, where } = issue;
  const closed = await closedBy(octokit, where, number);
  if (closed.open) return undefined;
  const reopen = () =>
    updateIssue(octokit, where, number, { state: "open", labels: [mirrorLabel(item.status)] }).then(() => undefined);
  if (closed.by === undefined || closed.bot) return reopen();
  const least = state.config.permission;
  if (!mayCommand(await roleOf(octokit, where, closed.by), least)) {
    await reopen();
    const sub = { ...where, issue: number };
    const marker = commentMarker(`mirror-close-refused-${closed.by}`);
    const body = renderMirrorMessage({
      kind: "mirrorCloseRefused",
      by: closed.by,
      issue: where.issue,
      batch: item.name,
      permission: least,
    });
    await ensureComment(octokit, sub, await listComments(octokit, sub), marker, `${body}\n\n${marker}`, issue.appLogin);
    return undefined;
  }
  const said = await say(issue, `mirror-closed-${number}-${closed.at ?? ""}`, {
    kind: "mirrorClosed",
    by: closed.by,
    subIssue: number,
    batch: item.name,
  });
  return {
    kind: "command",
    at: closed.at ?? said.createdAt,
    by: closed.by,
    comment: said.id,
    command: { name: "skip", batch: item.batch },
  };
}

async function say(issue: FeatureIssue, key: string, message: MirrorMessage): Promise<Comment> {
  const marker = commentMarker(key);
  return ensureComment(
    issue.octokit,
    issue.where,
    issue.comments,
    marker,
    `${renderMirrorMessage(message)}\n\n${marker}`,
    issue.appLogin,
  );
}
