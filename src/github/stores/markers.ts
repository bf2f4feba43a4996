/** Hidden markers that name the app's own comments, so that a repeat finds its earlier result. */
export const dashboardMarker = "<!-- parallel-coordinator:dashboard -->";

export function commentMarker(key: string): string {
  return `<!-- parallel-coordinator:comment ${key} -->`;
}
