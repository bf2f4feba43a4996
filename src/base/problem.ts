/**
 * A problem found in a breakdown or config. Every problem names its place so a
 * maintainer can fix it without guessing: the task, the source line, the field.
 */
export interface Problem {
  message: string;
  task?: string;
  line?: number;
  field?: string;
}

/** One line a person reads: `Task 3, line 12, field "Estimate": …`. */
export function formatProblem(problem: Problem): string {
  const place = [
    problem.task === undefined ? undefined : `Task ${problem.task}`,
    problem.line === undefined ? undefined : `line ${problem.line}`,
    problem.field === undefined ? undefined : `field "${problem.field}"`,
  ].filter((part) => part !== undefined);
  return place.length === 0 ? problem.message : `${place.join(", ")}: ${problem.message}`;
}
