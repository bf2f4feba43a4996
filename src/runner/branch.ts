import { domainBranch } from "../state/names.js";

export type BranchResult = { ok: true; branch: string } | { ok: false; reason: string };

/**
 * The batch's domain branch (`parallel-coordinator/<issue>-<domain>`) from the
 * ref the run was dispatched on (`GITHUB_REF`): the workflow must run on the
 * ref the app dispatched, and the publish job moves only that branch.
 */
export function domainBranchOf(ref: string, issue: number): BranchResult {
  const prefix = domainBranch(issue, "");
  const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
  if (branch === undefined || !branch.startsWith(prefix) || branch.length === prefix.length) {
    return {
      ok: false,
      reason: `the run is on \`${ref}\`, not a domain branch of issue #${issue} (\`refs/heads/${prefix}<domain>\`): the workflow must run on the ref the app dispatched`,
    };
  }
  return { ok: true, branch };
}
