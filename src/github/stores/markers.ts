/** Hidden markers that name the app's own comments, so that a repeat finds its earlier result. */
export const dashboardMarker = "<!-- parallel-coordinator:dashboard -->";

export function commentMarker(key: string): string {
  return `<!-- parallel-coordinator:comment ${key} -->`;
}

/** The start of the marker of the comment that says a coordination's state is lost: a label added after it takes the coordination up again. */
export const lostStateMarker = "<!-- parallel-coordinator:comment state-lost-";

/**
 * Whether a body carries a marker on a line of its own, as the app writes it.
 * Text the app quotes (a report's, a path) is escaped, in a code span or an
 * indented list item, so it never makes such a line: a marker inside it does
 * not pass for the app's own.
 */
export function hasMarker(body: string, marker: string): boolean {
  return body.split(/\r?\n/).includes(marker);
}

/** The hidden line that makes an issue the mirror of a batch of a feature issue (see state/mirror.ts). */
export function mirrorMarker(issue: number, batch: string): string {
  return `<!-- parallel-coordinator:mirror ${issue} ${encodeURIComponent(batch)} -->`;
}

/** The feature issue and batch an issue's body mirrors, from its marker on a line of its own; undefined without one. */
export function mirroredBatch(body: string): { issue: number; batch: string } | undefined {
  for (const line of body.split(/\r?\n/)) {
    const found = /^<!-- parallel-coordinator:mirror ([1-9]\d{0,14}) (\S+) -->$/.exec(line);
    if (found === null) continue;
    try {
      return { issue: Number(found[1]), batch: decodeURIComponent(found[2]!) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
