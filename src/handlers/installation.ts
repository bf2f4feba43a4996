import type { Context } from "probot";
import { onboardRepository } from "../onboarding/onboardRepository.js";
import type { Deps } from "./deps.js";

type InstallationContext = Context<"installation.created" | "installation_repositories.added">;

/**
 * `installation.created` and `installation_repositories.added`: each new
 * repository gets the label, and without a config its onboarding pull request.
 * Each repository is its own step, after the delivery is answered, one at a
 * time per repository (a duplicated delivery finds the first one's pull
 * request) and tried again when it fails.
 */
export async function onInstallation(context: InstallationContext, deps: Deps): Promise<void> {
  const { payload } = context;
  const repositories = payload.action === "created" ? (payload.repositories ?? []) : payload.repositories_added;
  const canWriteWorkflows =
    (payload.installation.permissions as Record<string, string | undefined>).workflows === "write";
  const failures: unknown[] = [];
  for (const repository of repositories) {
    const [owner, repo] = repository.full_name.split("/") as [string, string];
    const step = deps.run(context, { owner, repo }, async () => {
      const result = await onboardRepository(context.octokit, owner, repo, canWriteWorkflows);
      context.log.info(
        { repository: repository.full_name, ...result },
        result.label === "created" ? `onboarding; created the label in ${repository.full_name}` : "onboarding",
      );
    });
    // One repository's failure does not keep the others from their onboarding (it only shows where steps are awaited).
    await step.catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0)
    throw new AggregateError(
      failures,
      `onboarding failed in ${failures.length} of ${repositories.length} repositories`,
    );
}
