/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's own message of a refused request, for a person to read. */
export function messageOf(error: unknown): string {
  const response = (error as { response?: { data?: { message?: unknown; errors?: unknown } } } | null)?.response?.data;
  const message =
    typeof response?.message === "string" ? response.message : error instanceof Error ? error.message : String(error);
  const details = Array.isArray(response?.errors)
    ? response.errors
        .map((item) => (typeof item === "string" ? item : ((item as { message?: string }).message ?? "")))
        .filter(Boolean)
    : [];
  return details.length > 0 ? `${message} (${details.join("; ")})` : message;
}

/**
 * A failure of GitHub, the network or a rate limit rather than an answer about
 * the request: the step fails, and the next event or a redelivery tries again.
 */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return false;
  if (status >= 500 || status === 429) return true;
  if (status !== 403) return false;
  const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers ?? {};
  return (
    headers["retry-after"] !== undefined ||
    headers["x-ratelimit-remaining"] === "0" ||
    /rate limit/i.test(messageOf(error))
  );
}

/** What a rate limit asks to wait (`retry-after`, in seconds), in milliseconds; 0 when it asks nothing. */
export function retryAfterMs(error: unknown): number {
  const value = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers?.[
    "retry-after"
  ];
  const seconds = Number(value);
  return value !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : 0;
}
