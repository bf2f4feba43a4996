import type { Plan } from "../plan/planModel.js";
import type { State } from "./stateSchema.js";
import { budgetView, type BudgetView } from "./budget.js";
import { inFlight, type BatchStatus, type CoordinationStatus } from "./status.js";

/** What the dashboard shows of one batch beyond the plan. */
export interface BatchView {
  status: BatchStatus;
  /** The batch's pull request or run (`https://` only; anything else is not linked). */
  link?: string;
  /** One short line, e.g. the check-in verdict. */
  note?: string;
  /** The number of the sub-issue that mirrors it (`subIssues.mirror`). */
  subIssue?: number;
}

/** The running state the dashboard shows; absent parts read as planned / pending. */
export interface DashboardView {
  status: CoordinationStatus;
  /** By batch id; a batch not listed is pending. */
  batches: Readonly<Record<string, BatchView | undefined>>;
  /** Lines for people (a pause reason, who approved what). */
  notes?: string[];
  /** What is spent of the budget, when there is one. */
  budget?: BudgetView;
}

/**
 * What the dashboard shows of a state: each batch's status with a link to its
 * pull request or latest run, the first finding, and the notes for people.
 */
export function dashboardView(
  plan: Plan,
  state: State,
  repoUrl: string,
  subIssues?: Readonly<Record<string, number>>,
): DashboardView {
  const batches: DashboardView["batches"] = Object.fromEntries(
    plan.batches.map((batch) => {
      const own = state.batches[batch.id]!;
      const run = own.runs[own.runs.length - 1];
      const link =
        own.pr !== undefined && own.status !== "dispatched"
          ? `${repoUrl}/pull/${own.pr}`
          : run?.id !== undefined
            ? `${repoUrl}/actions/runs/${run.id}`
            : undefined;
      const note = own.status === "blocked" ? own.blocker : own.findings[0];
      const subIssue = subIssues?.[batch.id];
      return [
        batch.id,
        {
          status: own.status,
          ...(link === undefined ? {} : { link }),
          ...(note === undefined ? {} : { note }),
          ...(subIssue === undefined ? {} : { subIssue }),
        },
      ];
    }),
  );
  // A restore first: it says the dashboard may have missed something.
  const notes = [...(state.restores ?? []), ...state.notes];
  if (state.commandsWithheld !== undefined) {
    notes.unshift(
      `Acceptance commands from the issue's text are not run: ${state.commandsWithheld.author}, who wrote it, may not start a coordination, and GitHub does not say who last edited it. Only the agent workflow's own checks run; these commands are checks for the agents`,
    );
  }
  if (state.pause !== undefined) {
    const who = `${state.pause.budget === true ? "the budget" : `@${state.pause.by}`} at ${state.pause.at}${state.pause.reason === undefined ? "" : `: ${state.pause.reason}`}`;
    const running = plan.batches.filter((batch) => inFlight.has(state.batches[batch.id]!.status)).length;
    notes.unshift(
      state.status === "paused"
        ? `Paused by ${who}`
        : `Pausing (asked by ${who}): no new batches start; waiting for ${running} running batch${running === 1 ? "" : "es"} to finish`,
    );
  }
  if (state.resumed !== undefined) notes.unshift(`Resumed by @${state.resumed.by} at ${state.resumed.at}`);
  if (state.finalPr !== undefined) notes.unshift(`Final pull request: ${repoUrl}/pull/${state.finalPr}`);
  const budget = budgetView(state);
  return { status: state.status, batches, notes, ...(budget === undefined ? {} : { budget }) };
}
