/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's own message of a refused request, for a person to read. */
export function messageOf(error: unknown): string {
  const response = (error as { response?: { data?: { message?: unknown; errors?: unknown } } } | null)?.response?.data;
  const message = typeof response?.message === "string" ? response.message : error instanceof Error ? error.message : String(error);
  const details = Array.isArray(response?.errors)
    ? response.errors.map((item) => (typeof item === "string" ? item : (item as { message?: string }).message ?? "")).filter(Boolean)
    : [];
  return details.length > 0 ? `${message} (${details.join("; ")})` : message;
}
