import type { ScheduleProblem } from "./scheduleProblem.js";

/** Float noise from summing fractional durations is not a violation. */
const TOLERANCE = 1e-9;

/**
 * Every way a set of start minutes breaks the problem, as sentences; empty
 * when the schedule is feasible. Independent of the schedulers on purpose, so
 * tests and the bench check them against the rules rather than against
 * themselves.
 */
export function validateSchedule(problem: ScheduleProblem, start: Record<string, number>): string[] {
  const violations: string[] = [];
  const byId = new Map(problem.jobs.map((job) => [job.id, job]));
  const timed: { id: string; domain: string; start: number; finish: number }[] = [];

  for (const job of problem.jobs) {
    const s = start[job.id];
    if (s === undefined || !Number.isFinite(s)) {
      violations.push(`job "${job.id}" has no start`);
      continue;
    }
    if (s < -TOLERANCE) violations.push(`job "${job.id}" starts at ${s}, before minute 0`);
    timed.push({ id: job.id, domain: job.domain, start: s, finish: s + job.duration });
  }
  for (const id of Object.keys(start)) {
    if (!byId.has(id)) violations.push(`start given for unknown job "${id}"`);
  }

  for (const job of problem.jobs) {
    const s = start[job.id];
    if (s === undefined) continue;
    for (const predId of job.preds) {
      const pred = byId.get(predId);
      const ps = start[predId];
      if (pred === undefined) {
        violations.push(`job "${job.id}" needs unknown job "${predId}"`);
      } else if (ps !== undefined && s < ps + pred.duration - TOLERANCE) {
        violations.push(`job "${job.id}" starts at ${s} before its pred "${predId}" finishes at ${ps + pred.duration}`);
      }
    }
  }

  // One job per domain: in start order, each must begin after the latest finish so far.
  const byDomain = new Map<string, typeof timed>();
  for (const t of timed) {
    const list = byDomain.get(t.domain);
    if (list === undefined) byDomain.set(t.domain, [t]);
    else list.push(t);
  }
  for (const [domain, list] of byDomain) {
    list.sort((a, b) => a.start - b.start);
    let latest: (typeof timed)[number] | undefined;
    for (const t of list) {
      if (latest !== undefined && t.start < latest.finish - TOLERANCE) {
        violations.push(`jobs "${latest.id}" and "${t.id}" overlap in domain "${domain}" at ${t.start}`);
      }
      if (latest === undefined || t.finish > latest.finish) latest = t;
    }
  }

  // Agents: sweep starts and finishes; a finish frees its agent for a start at the same minute.
  const events = timed.flatMap((t) => [
    { at: t.finish, delta: -1 },
    { at: t.start, delta: 1 },
  ]);
  events.sort((a, b) => (Math.abs(a.at - b.at) <= TOLERANCE ? a.delta - b.delta : a.at - b.at));
  let running = 0;
  for (const event of events) {
    running += event.delta;
    if (running > problem.agents) {
      violations.push(`${running} jobs run at minute ${event.at}, more than ${problem.agents} agents`);
    }
  }
  return violations;
}
