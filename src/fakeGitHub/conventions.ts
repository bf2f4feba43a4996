/** How GitHub names and words things, the same in every part of the fake. */

export const API = "https://api.github.com";
export const WEB = "https://github.com";
export const APP_SLUG = "parallel-coordinator";
export const APP_LOGIN = `${APP_SLUG}[bot]`;
/** Who acts with a workflow run's `GITHUB_TOKEN`. */
export const ACTIONS_LOGIN = "github-actions[bot]";

/** GitHub caps an issue's, a pull request's and a comment's body at 65,536 characters. */
const MAX_BODY = 65_536;

/** A timestamp as GitHub writes them: whole seconds, `Z`. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A refusal, as GitHub words it: the status and the JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return {
      message: this.message,
      ...this.extra,
      documentation_url: "https://docs.github.com/rest",
      status: String(this.status),
    };
  }
}

/** A body over GitHub's cap, refused as GitHub refuses it. */
export function checkBodyLength(body: string, resource: "Issue" | "IssueComment" | "PullRequest"): void {
  if (body.length > MAX_BODY)
    throw new HttpError(422, "Validation Failed", {
      errors: [
        { resource, code: "custom", field: "body", message: `body is too long (maximum is ${MAX_BODY} characters)` },
      ],
    });
}
