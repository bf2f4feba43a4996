import { domainBranch } from "../state/names.js";
import { git, gitOk, zPaths, type GitOptions } from "./git.js";

export type BranchResult =
  | { ok: true; branch: string; head: string; merged: boolean }
  | { ok: false; reason: string };

/**
 * Checks that the work happens on the batch's domain branch
 * (`parallel-coordinator/<issue>-<domain>`, the ref the app dispatched) and
 * that the branch has everything of `origin/<base>`: fetches the base and
 * merges it when the branch is behind. A conflict is not resolved here: the
 * merge is aborted and the batch reports Blocked.
 */
export async function checkBranch(options: GitOptions, issue: number, base: string): Promise<BranchResult> {
  const symbolic = await git(options, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  if (symbolic.code !== 0) {
    return { ok: false, reason: "HEAD is detached: check out the batch's domain branch (the ref the workflow was dispatched on) before the runner" };
  }
  const branch = symbolic.stdout.trim();
  const prefix = domainBranch(issue, "");
  if (!branch.startsWith(prefix) || branch.length === prefix.length) {
    return { ok: false, reason: `the checked-out branch is \`${branch}\`, not a domain branch of issue #${issue} (\`${prefix}<domain>\`): the workflow must run on the ref the app dispatched` };
  }
  const shallow = (await gitOk(options, ["rev-parse", "--is-shallow-repository"])).trim() === "true";
  const fetch = await git(options, [
    "fetch",
    "--no-tags",
    ...(shallow ? ["--unshallow"] : []),
    "origin",
    `+refs/heads/${base}:refs/remotes/origin/${base}`,
    `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
  ]);
  if (fetch.code !== 0) {
    return { ok: false, reason: `cannot fetch \`${base}\` and \`${branch}\` from origin: ${lastLine(fetch.stderr)}` };
  }
  // The branch moved on since the checkout (a re-run, or the app brought it up to date): start from its tip.
  const remoteBranch = `refs/remotes/origin/${branch}`;
  if ((await git(options, ["merge-base", "--is-ancestor", remoteBranch, "HEAD"])).code !== 0) {
    const forward = await git(options, ["merge", "--ff-only", "--quiet", remoteBranch]);
    if (forward.code !== 0) {
      return { ok: false, reason: `the checkout of \`${branch}\` has diverged from origin: ${lastLine(forward.stderr || forward.stdout)}` };
    }
  }
  const remoteBase = `refs/remotes/origin/${base}`;
  const behind = await git(options, ["merge-base", "--is-ancestor", remoteBase, "HEAD"]);
  let merged = false;
  if (behind.code === 1) {
    const merge = await git(options, ["merge", "--no-edit", "--no-verify", "-m", `Merge ${base} into ${branch}`, remoteBase]);
    if (merge.code !== 0) {
      const conflicted = zPaths((await git(options, ["diff", "--name-only", "-z", "--diff-filter=U"])).stdout);
      await git(options, ["merge", "--abort"]);
      return {
        ok: false,
        reason:
          conflicted.length > 0
            ? `the domain branch \`${branch}\` conflicts with \`${base}\` in ${conflicted.map((file) => `\`${file}\``).join(", ")}: merge them by hand, then retry`
            : `cannot merge \`${base}\` into \`${branch}\`: ${lastLine(merge.stderr || merge.stdout)}`,
      };
    }
    merged = true;
  } else if (behind.code !== 0) {
    return { ok: false, reason: `cannot compare \`${branch}\` with \`${base}\`: ${lastLine(behind.stderr)}` };
  }
  const head = (await gitOk(options, ["rev-parse", "HEAD"])).trim();
  return { ok: true, branch, head, merged };
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}
