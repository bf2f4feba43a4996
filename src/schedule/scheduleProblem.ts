/**
 * The scheduling problem, free of everything else a batch carries: jobs with a
 * duration, the domain they occupy (one run per domain at a time), the jobs
 * that must finish first, and the phase they belong to (for the seed's
 * phase-by-phase order). At most `agents` jobs run at once.
 */
export interface Job {
  id: string;
  /** Minutes, positive. */
  duration: number;
  domain: string;
  /** Ids of jobs that must finish before this one starts (declared and added). */
  preds: string[];
  /** 0-based phase index: the breakdown's phase, or the dependency level where it has none. */
  phase: number;
}

export interface ScheduleProblem {
  jobs: Job[];
  agents: number;
}

export interface ScheduleResult {
  /** Start minute of every job, by id. */
  start: Record<string, number>;
  makespan: number;
  /** True when the exact search proved the makespan optimal within its budget. */
  optimal: boolean;
}
