import type { Plan, Batch } from "../plan/planModel.js";
import type { State } from "./stateSchema.js";
import { waitsFor } from "./readiness.js";
import { runScope, scopeInput } from "../schedule/runScope.js";
import { normalizePattern, patternsOverlap } from "../plan/glob.js";

/** GitHub refuses a dispatch whose inputs exceed 65,535 characters in all. */
const INPUTS_LIMIT = 65_535;
/** Room left for JSON quoting and escapes of the inputs around the brief. */
const INPUTS_MARGIN = 2_000;

/** One change a finished batch reported: `file:line` and what it is. */
export interface ChangeRef {
  file: string;
  line?: number;
  summary: string;
}

/** What a finished batch hands on to the batches that depend on it. */
export interface PreviousWork {
  /** The finished batch's id. */
  batch: string;
  title: string;
  summary?: string;
  /** Contracts, endpoints, types… that other agents build on. */
  integrationPoints: string[];
  changes: ChangeRef[];
}

/** What the coordination has learned that this batch needs. */
export interface BriefContext {
  /** Finished batches this one builds on, oldest first. */
  previous: PreviousWork[];
  /** The last check-in's findings, when this batch is a redo. */
  findings?: string[];
  /**
   * When this batch's work conflicted with work merged since: the files (absent when they could not
   * be listed) and the merged batches whose work touches them, which this run must keep.
   */
  conflict?: { files?: string[]; keep: PreviousWork[] };
  /** Decisions the coordinator broadcast to all agents (clarifications, ownership). */
  decisions?: string[];
  /** The issue's author, when they may not command: the brief's acceptance commands are checks, which the runner does not run. */
  commandsWithheldFrom?: string;
}

/** What a batch's brief is written from, and the characters it may take. */
export interface BriefRequest {
  context: BriefContext;
  limit: number;
}

/** What an agent needs to know of the batches this one builds on, and of its own last check-in. */
export function briefContext(plan: Plan, state: State, batch: Batch): BriefContext {
  const before = new Set(waitsFor(batch));
  const accepted = plan.batches.filter(
    (other) => other.id !== batch.id && state.batches[other.id]?.status === "accepted",
  );
  const own = state.batches[batch.id]!;
  return {
    previous: accepted.filter((other) => before.has(other.id)).map((other) => previousWork(state, other)),
    ...(own.findings.length > 0 ? { findings: own.findings } : {}),
    ...(own.conflict === undefined ? {} : { conflict: conflictContext(state, accepted, own.conflict.files) }),
    ...(state.notes.length > 0 ? { decisions: state.notes } : {}),
    ...(state.commandsWithheld === undefined ? {} : { commandsWithheldFrom: state.commandsWithheld.author }),
  };
}

function previousWork(state: State, batch: Batch): PreviousWork {
  const done = state.batches[batch.id]!;
  return {
    batch: batch.id,
    title: batch.title,
    ...(done.summary === undefined ? {} : { summary: done.summary }),
    integrationPoints: done.integrationPoints,
    changes: done.changes,
  };
}

/**
 * The merged work a conflicting batch must keep: every accepted batch whose planned files or
 * reported changes take in a conflicting file — or every accepted batch, when the files could not
 * be listed.
 */
function conflictContext(
  state: State,
  accepted: Batch[],
  files: string[] | undefined,
): NonNullable<BriefContext["conflict"]> {
  const touches = (other: Batch) =>
    files === undefined ||
    files.some(
      (file) =>
        other.files.some((pattern) => patternsOverlap(file, normalizePattern(pattern))) ||
        state.batches[other.id]!.changes.some((change) => change.file === file),
    );
  return {
    ...(files === undefined ? {} : { files }),
    keep: accepted.filter(touches).map((other) => previousWork(state, other)),
  };
}

/**
 * The agent workflow's inputs (the template declares exactly these) but the
 * brief, and what the brief is written from, within GitHub's limit on them
 * all: the brief is trimmed, oldest context first, to fit what is left.
 */
export function dispatchInputs(
  plan: Plan,
  state: State,
  batch: Batch,
  attempt: number,
  key: string,
): { inputs: Record<string, string>; brief: BriefRequest } {
  const inputs = {
    issue: String(state.issue),
    batch: batch.id,
    attempt: String(attempt),
    key,
    base: state.integration,
    scope: scopeInput(runScope(batch, state.config)),
  };
  const used = Object.entries(inputs).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
  const limit = Math.max(1_000, INPUTS_LIMIT - INPUTS_MARGIN - used);
  return { inputs, brief: { context: briefContext(plan, state, batch), limit } };
}
