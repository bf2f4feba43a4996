/**
 * Branch names and run keys. Domain branches sit beside the integration branch
 * (`…/12-backend`), never under it (`…/12/backend`): git cannot hold a branch
 * and a folder of branches under one name, and GitHub refuses the second ref.
 */
export function integrationBranch(issue: number): string {
  return `parallel-coordinator/${issue}`;
}

export function domainBranch(issue: number, domain: string): string {
  return `parallel-coordinator/${issue}-${domain}`;
}

/** The correlation key of a batch run; the agent workflow's `run-name` carries it. */
export function runKey(issue: number, batch: string, attempt: number): string {
  return `pc-${issue}-${batch}-${attempt}`;
}

/** Issue, batch and attempt of a key found in a run's name, if any. */
export function parseRunKey(text: string): { issue: number; batch: string; attempt: number } | undefined {
  const match = /\bpc-(\d+)-(\S+)-(\d+)\b/.exec(text);
  return match === null ? undefined : { issue: Number(match[1]), batch: match[2]!, attempt: Number(match[3]) };
}
