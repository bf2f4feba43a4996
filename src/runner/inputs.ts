import * as core from "@actions/core";
import { z } from "zod";
import { globProblem } from "../plan/glob.js";
import { runKey } from "../state/names.js";

/** Inputs the action cannot run without, in the order `action.yml` lists them. */
export const REQUIRED_INPUTS = ["github-token", "issue", "batch", "attempt", "key", "base", "scope", "brief", "agent"] as const;

const positiveInteger = (name: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, `\`${name}\` must be a positive whole number`)
    .transform(Number);

const glob = z.string().superRefine((pattern, context) => {
  const problem = globProblem(pattern);
  if (problem !== undefined) context.addIssue({ code: "custom", message: `\`${pattern}\` is not a usable glob: it needs ${problem}` });
});

export const ScopeSchema = z.object({ allow: z.array(glob), deny: z.array(glob).default([]) });
export type Scope = z.infer<typeof ScopeSchema>;

/** A branch name safe to hand to git as an argument: never an option, never a revision expression. */
const branchName = z
  .string()
  .regex(/^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![/.])$/, "`base` must be a plain branch name (letters, digits, `.`, `_`, `-`, `/`)")
  .refine((name) => !name.endsWith(".lock"), "`base` must not end in `.lock`");

const InputsSchema = z
  .object({
    "github-token": z.string().min(1),
    issue: positiveInteger("issue"),
    batch: z.string().regex(/^\S{1,100}$/, "`batch` must be one word (the batch id), at most 100 characters"),
    attempt: positiveInteger("attempt"),
    key: z.string(),
    base: branchName,
    scope: z.string().transform((text, context) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        context.addIssue({ code: "custom", message: `\`scope\` is not JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
      const parsed = ScopeSchema.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          context.addIssue({ code: "custom", message: `\`scope\`${issue.path.length > 0 ? `.${issue.path.join(".")}` : ""}: ${issue.message}` });
        }
        return z.NEVER;
      }
      return parsed.data;
    }),
    brief: z.string().min(1),
    agent: z.string().min(1),
    "timeout-minutes": z
      .string()
      .regex(/^\d+(\.\d+)?$/, "`timeout-minutes` must be a number of minutes")
      .transform(Number)
      .refine((minutes) => minutes > 0 && minutes <= 4320, "`timeout-minutes` must be more than 0 and at most 4320 (72 hours)"),
    checks: z
      .string()
      .optional()
      .transform((text) =>
        text === undefined
          ? undefined
          : text
              .split(/\r?\n/)
              .map((line) => line.trim())
              .filter((line) => line !== "" && !line.startsWith("#")),
      ),
    "scope-mode": z.enum(["revert", "report"], { message: "`scope-mode` must be `revert` or `report`" }),
  });

/** The key must be the one issue, batch and attempt make: a workflow that mixes up its inputs is caught here. */
function keyProblem(raw: Record<string, string | undefined>): string | undefined {
  const { issue, batch, attempt, key } = raw;
  if (issue === undefined || batch === undefined || attempt === undefined || key === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(issue) || !/^[1-9]\d*$/.test(attempt)) return undefined;
  const expected = runKey(Number(issue), batch, Number(attempt));
  return key === expected ? undefined : `\`key\` is "${key}", but issue, batch and attempt make "${expected}": pass the dispatch inputs through unchanged`;
}

export interface Inputs {
  token: string;
  issue: number;
  batch: string;
  attempt: number;
  key: string;
  base: string;
  scope: Scope;
  brief: string;
  agent: string;
  timeoutMinutes: number;
  /** The `checks` override, one command per line; undefined: the brief's. */
  checks?: string[];
  scopeMode: "revert" | "report";
}

export type InputsResult = { ok: true; inputs: Inputs } | { ok: false; problems: string[] };

/**
 * An input's value (`INPUT_<NAME>`, which the runner sets from `with:`: no
 * value ever passes through a shell), or `undefined` when it is unset or
 * blank. Trimmed, except the brief, which reaches the agent byte for byte.
 */
function readInput(name: string): string | undefined {
  const value = core.getInput(name, { trimWhitespace: name !== "brief" });
  return value.trim() === "" ? undefined : value;
}

/** The action's inputs, validated; every problem at once. */
export function readInputs(): InputsResult {
  const missing = REQUIRED_INPUTS.filter((name) => readInput(name) === undefined);
  if (missing.length > 0) {
    const names = missing.map((name) => `\`${name}\``).join(", ");
    return {
      ok: false,
      problems: [
        `Missing input${missing.length === 1 ? "" : "s"} ${names}: pass ${missing.length === 1 ? "it" : "them"} under \`with:\` (the dispatch inputs as \`\${{ inputs.<name> }}\`, see templates/parallel-coordinator-agent.yml).`,
      ],
    };
  }
  const raw = {
    ...Object.fromEntries(REQUIRED_INPUTS.map((name) => [name, readInput(name)])),
    "timeout-minutes": readInput("timeout-minutes") ?? "30",
    checks: readInput("checks"),
    "scope-mode": readInput("scope-mode") ?? "revert",
  };
  const parsed = InputsSchema.safeParse(raw);
  const key = keyProblem(raw);
  if (!parsed.success || key !== undefined) {
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((issue) => (issue.code === "custom" || issue.message.includes("`") ? issue.message : `\`${issue.path.join(".")}\`: ${issue.message}`));
    return { ok: false, problems: key === undefined ? problems : [...problems, key] };
  }
  const data = parsed.data;
  return {
    ok: true,
    inputs: {
      token: data["github-token"],
      issue: data.issue,
      batch: data.batch,
      attempt: data.attempt,
      key: data.key,
      base: data.base,
      scope: data.scope,
      brief: data.brief,
      agent: data.agent,
      timeoutMinutes: data["timeout-minutes"],
      ...(data.checks === undefined ? {} : { checks: data.checks }),
      scopeMode: data["scope-mode"],
    },
  };
}

/** What the runner needs of the workflow run it is part of. */
export interface RunContext {
  owner: string;
  repo: string;
  runId: number;
  apiUrl: string;
  serverUrl: string;
}

export type RunContextResult = { ok: true; context: RunContext } | { ok: false; problems: string[] };

export function readRunContext(env: NodeJS.ProcessEnv): RunContextResult {
  const problems: string[] = [];
  const repository = /^([\w.-]+)\/([\w.-]+)$/.exec(env.GITHUB_REPOSITORY ?? "");
  if (repository === null) problems.push("`GITHUB_REPOSITORY` is not set to owner/name: the runner runs inside a GitHub Actions job");
  const runId = /^[1-9]\d*$/.test(env.GITHUB_RUN_ID ?? "") ? Number(env.GITHUB_RUN_ID) : undefined;
  if (runId === undefined) problems.push("`GITHUB_RUN_ID` is not set: the report names the run, and the app accepts it only for the run it dispatched");
  if (repository === null || runId === undefined) return { ok: false, problems };
  const trim = (url: string) => url.replace(/\/+$/, "");
  return {
    ok: true,
    context: {
      owner: repository[1]!,
      repo: repository[2]!,
      runId,
      apiUrl: trim(env.GITHUB_API_URL || "https://api.github.com"),
      serverUrl: trim(env.GITHUB_SERVER_URL || "https://github.com"),
    },
  };
}
