import { inlineText, truncate } from "../base/markdownText.js";

/** What the dashboard says while a step keeps failing: since when, what GitHub answered, and when the next try is (none once the app stops trying). */
export interface Fault {
  /** When the step first failed, in ms since the epoch. */
  since: number;
  /** GitHub's answer: its status and message; no status when GitHub could not be reached. */
  status?: number;
  message: string;
  /** When the step is tried again, in ms since the epoch. */
  next?: number;
}

/** Marks the banner at the top of the dashboard: outside the signed state, so writing it changes no state. */
export const faultMarker = "<!-- parallel-coordinator:fault -->";

/** The banner a failing step puts at the top of the dashboard, until the step succeeds. */
export function faultBanner(fault: Fault): string {
  const said = inlineText(truncate(fault.message, 200)).replace(/\.+$/, "");
  const answer =
    fault.status === undefined ? `GitHub could not be reached (${said})` : `GitHub answered ${fault.status}: ${said}`;
  const next =
    fault.next === undefined
      ? "The app has stopped trying it: the issue's next event, or the app's next sweep, tries again."
      : `The app is retrying it; next try at ${utc(fault.next)}.`;
  return `${faultMarker}\n> ⚠ **A step of this coordination has been failing since ${utc(fault.since)}.** ${answer}. ${next}`;
}

/** A dashboard's body with the banner put at its top (or taken off, without one). */
export function withFaultBanner(body: string, banner: string | undefined): string {
  const bare = body.startsWith(faultMarker) ? body.slice(body.indexOf("\n\n") + 2) : body;
  return banner === undefined ? bare : `${banner}\n\n${bare}`;
}

function utc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
