/** Hidden markers that name the app's own comments, so that a repeat finds its earlier result. */
export const dashboardMarker = "<!-- parallel-coordinator:dashboard -->";

export function commentMarker(key: string): string {
  return `<!-- parallel-coordinator:comment ${key} -->`;
}

/** The start of the marker of the comment that says a coordination's state is lost: a label added after it takes the coordination up again. */
export const lostStateMarker = "<!-- parallel-coordinator:comment state-lost-";
