import * as core from "@actions/core";
import type { Probot } from "probot";

type Logger = Probot["log"];
type Sink = Record<"debug" | "info" | "warning" | "error", (line: string) => void>;

/** One log call's arguments as a line: Probot logs `(fields, message)` or `(message)`; an error and the delivery are kept. */
export function logLine(args: unknown[]): string {
  const parts = args.map((arg) => {
    if (typeof arg === "string") return arg;
    if (arg instanceof Error) return arg.message;
    if (typeof arg !== "object" || arg === null) return "";
    const fields = arg as { err?: unknown; delivery?: unknown };
    const error = fields.err instanceof Error ? fields.err.message : fields.err === undefined ? "" : String(fields.err);
    return [error, fields.delivery === undefined ? "" : `(delivery ${String(fields.delivery)})`]
      .filter(Boolean)
      .join(" ");
  });
  return parts.filter((part) => part !== "").join(" ");
}

/**
 * Probot's logger as a job's log: warnings and errors are annotations on the
 * run's page (through @actions/core), the rest plain lines, debug only when
 * the run is re-run with debug logging.
 */
export function jobLogger(
  sink: Sink = { debug: core.debug, info: core.info, warning: core.warning, error: core.error },
): Logger {
  const to =
    (write: (line: string) => void) =>
    (...args: unknown[]) =>
      write(logLine(args));
  const logger: Record<string, unknown> = {
    level: "info",
    trace: to(sink.debug),
    debug: to(sink.debug),
    info: to(sink.info),
    warn: to(sink.warning),
    error: to(sink.error),
    fatal: to(sink.error),
    silent: () => undefined,
    child: () => logger,
    bindings: () => ({}),
    isLevelEnabled: () => true,
    flush: () => undefined,
  };
  return logger as unknown as Logger;
}
