import pkg from "../../package.json" with { type: "json" };

/**
 * The runner action's `uses:` reference, from one place: the package's own
 * repository and major version (`owner/parallel-coordinator@v<major>`, the tag the
 * release workflow moves). `PARALLEL_COORDINATOR_ACTION` overrides it: a fork,
 * or a commit SHA to pin.
 */
export function actionReference(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const override = env.PARALLEL_COORDINATOR_ACTION?.trim();
  if (override !== undefined && override !== "") return override;
  return `${repositoryOf(pkg.repository.url)}@v${pkg.version.split(".")[0]}`;
}

/** `owner/name` of a `git+https://github.com/owner/name.git` URL. */
export function repositoryOf(url: string): string {
  const match = /github\.com[/:]([^/]+\/[^/.]+?)(?:\.git)?$/.exec(url);
  if (match === null) throw new Error(`package.json's repository is not a GitHub repository: ${url}`);
  return match[1]!;
}
