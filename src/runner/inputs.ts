import * as core from "@actions/core";
import { z } from "zod";
import { ScopeSchema, type Scope } from "../schedule/runScope.js";
import { runKey } from "../state/names.js";

/**
 * The runner's four modes, one job each but `acceptance`, which is the
 * verify job's second runner step (see templates/parallel-coordinator-agent.yml):
 * - `agent`: runs the agent; its change leaves the job as data (no write credential in the job);
 * - `verify`: judges that change on a fresh checkout, before any repository code runs there, and
 *   sets the job output `digest` of what it verified;
 * - `acceptance`: runs the acceptance commands on the verified change (repository code, no write credential);
 * - `publish`: checks the verified change against the digest and publishes it through GitHub's
 *   API (no checkout, no repository code), then the report.
 */
export const MODES = ["agent", "verify", "acceptance", "publish"] as const;
export type Mode = (typeof MODES)[number];

/** The dispatch inputs, which every mode takes, in the order `action.yml` lists them. */
export const DISPATCH_INPUTS = ["issue", "batch", "attempt", "key", "base", "scope", "brief"] as const;
/** Inputs a mode cannot run without, beside `mode` and the dispatch inputs. */
export const MODE_INPUTS: Record<Mode, readonly string[]> = {
  agent: ["agent"],
  verify: [],
  acceptance: [],
  publish: ["github-token", "needs"],
};

const positiveInteger = (name: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, `\`${name}\` must be a positive whole number`)
    .transform(Number);

/** What the workflow's other jobs did: `${{ toJSON(needs) }}`, for the publish job. */
export const NeedsSchema = z.record(
  z.string(),
  z.object({ result: z.string(), outputs: z.record(z.string(), z.string()).default({}) }),
);
export type Needs = z.infer<typeof NeedsSchema>;

/** A branch name safe to hand to git as an argument: never an option, never a revision expression. */
const branchName = z
  .string()
  .regex(
    /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![/.])$/,
    "`base` must be a plain branch name (letters, digits, `.`, `_`, `-`, `/`)",
  )
  .refine((name) => !name.endsWith(".lock"), "`base` must not end in `.lock`");

function json<T extends z.ZodType>(name: string, schema: T) {
  return z.string().transform((text, context): z.infer<T> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      context.addIssue({ code: "custom", message: `\`${name}\` is not JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        context.addIssue({
          code: "custom",
          message: `\`${name}\`${issue.path.length > 0 ? `.${issue.path.join(".")}` : ""}: ${issue.message}`,
        });
      }
      return z.NEVER;
    }
    return parsed.data;
  });
}

/** At most 32 MiB: the verified change, base64 and all, must fit the 64 MiB the publish job reads (handoff.ts). */
const bytes = (name: string) =>
  positiveInteger(name).refine((value) => value <= 32 * 1024 ** 2, `\`${name}\` must be at most 33554432 (32 MiB)`);

const InputsSchema = z.object({
  mode: z.enum(MODES, { message: "`mode` must be `agent`, `verify`, `acceptance` or `publish`" }),
  issue: positiveInteger("issue"),
  batch: z.string().regex(/^\S{1,100}$/, "`batch` must be one word (the batch id), at most 100 characters"),
  attempt: positiveInteger("attempt"),
  key: z.string(),
  base: branchName,
  scope: json("scope", ScopeSchema),
  brief: z.string().min(1),
  "github-token": z.string().optional(),
  agent: z.string().optional(),
  needs: json("needs", NeedsSchema).optional(),
  "timeout-minutes": z
    .string()
    .regex(/^\d+(\.\d+)?$/, "`timeout-minutes` must be a number of minutes")
    .transform(Number)
    .refine(
      (minutes) => minutes > 0 && minutes <= 4320,
      "`timeout-minutes` must be more than 0 and at most 4320 (72 hours)",
    ),
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
  "max-file-bytes": bytes("max-file-bytes"),
  "max-change-bytes": bytes("max-change-bytes"),
});

/** The key must be the one issue, batch and attempt make: a workflow that mixes up its inputs is caught here. */
function keyProblem(raw: Record<string, string | undefined>): string | undefined {
  const { issue, batch, attempt, key } = raw;
  if (issue === undefined || batch === undefined || attempt === undefined || key === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(issue) || !/^[1-9]\d*$/.test(attempt)) return undefined;
  const expected = runKey(Number(issue), batch, Number(attempt));
  return key === expected
    ? undefined
    : `\`key\` is "${key}", but issue, batch and attempt make "${expected}": pass the dispatch inputs through unchanged`;
}

/** What the judge of a change allows (verify). */
export interface Limits {
  /** A file larger than this after the change is refused. */
  maxFileBytes: number;
  /** The change as a whole (the agent's patch, the files it writes) larger than this is refused. */
  maxChangeBytes: number;
}

export interface Inputs {
  mode: Mode;
  issue: number;
  batch: string;
  attempt: number;
  key: string;
  base: string;
  scope: Scope;
  brief: string;
  /** The agent command (agent mode). */
  agent: string;
  /** The write token (publish mode only: every other mode refuses one). */
  token: string;
  /** The other jobs' results and outputs (publish mode). */
  needs: Needs;
  timeoutMinutes: number;
  /** The `checks` override, one command per line; undefined: the brief's. */
  checks?: string[];
  scopeMode: "revert" | "report";
  limits: Limits;
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

const DEFAULTS: Record<string, string> = {
  "timeout-minutes": "30",
  "scope-mode": "revert",
  "max-file-bytes": String(1024 * 1024),
  "max-change-bytes": String(10 * 1024 * 1024),
};

/** The action's inputs for its mode, validated; every problem at once. */
export function readInputs(): InputsResult {
  const mode = readInput("mode");
  const modeProblem =
    mode === undefined || (MODES as readonly string[]).includes(mode)
      ? undefined
      : "`mode` must be `agent`, `verify`, `acceptance` or `publish`";
  const required = [
    "mode",
    ...DISPATCH_INPUTS,
    ...(mode !== undefined && modeProblem === undefined ? MODE_INPUTS[mode as Mode] : []),
  ];
  const missing = required.filter((name) => readInput(name) === undefined);
  if (missing.length > 0 || modeProblem !== undefined) {
    const names = missing.map((name) => `\`${name}\``).join(", ");
    return {
      ok: false,
      problems: [
        ...(modeProblem === undefined ? [] : [modeProblem]),
        ...(missing.length === 0
          ? []
          : [
              `Missing input${missing.length === 1 ? "" : "s"} ${names}: pass ${missing.length === 1 ? "it" : "them"} under \`with:\` (the dispatch inputs as \`\${{ inputs.<name> }}\`, see templates/parallel-coordinator-agent.yml).`,
            ]),
      ],
    };
  }
  const raw: Record<string, string | undefined> = Object.fromEntries(
    Object.keys(InputsSchema.shape).map((name) => [name, readInput(name) ?? DEFAULTS[name]]),
  );
  const parsed = InputsSchema.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) =>
        issue.code === "custom" || issue.message.includes("`")
          ? issue.message
          : `\`${issue.path.join(".")}\`: ${issue.message}`,
      );
  const key = keyProblem(raw);
  if (key !== undefined) problems.push(key);
  // A write token anywhere but in the publish job would be within the agent's reach (a step is no boundary).
  if (mode !== "publish" && raw["github-token"] !== undefined) {
    problems.push(
      `\`github-token\` is for the publish job only: the ${mode} job must hold no write credential (see templates/parallel-coordinator-agent.yml).`,
    );
  }
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const data = parsed.data;
  return {
    ok: true,
    inputs: {
      mode: data.mode,
      issue: data.issue,
      batch: data.batch,
      attempt: data.attempt,
      key: data.key,
      base: data.base,
      scope: data.scope,
      brief: data.brief,
      agent: data.agent ?? "",
      token: data["github-token"] ?? "",
      needs: data.needs ?? {},
      timeoutMinutes: data["timeout-minutes"],
      ...(data.checks === undefined ? {} : { checks: data.checks }),
      scopeMode: data["scope-mode"],
      limits: { maxFileBytes: data["max-file-bytes"], maxChangeBytes: data["max-change-bytes"] },
    },
  };
}

/** What the runner needs of the workflow run and the job it is part of. */
export interface RunContext {
  owner: string;
  repo: string;
  runId: number;
  /** The commit the run was dispatched on (`GITHUB_SHA`): the start of every batch change. */
  sha: string;
  /** The ref the run was dispatched on (`GITHUB_REF`): the batch's domain branch. */
  ref: string;
  /** The job's own temporary folder (`RUNNER_TEMP`): the hand-over folders live there. */
  runnerTemp: string;
  apiUrl: string;
  serverUrl: string;
}

export type RunContextResult = { ok: true; context: RunContext } | { ok: false; problems: string[] };

export function readRunContext(env: NodeJS.ProcessEnv): RunContextResult {
  const problems: string[] = [];
  const repository = /^([\w.-]+)\/([\w.-]+)$/.exec(env.GITHUB_REPOSITORY ?? "");
  if (repository === null)
    problems.push("`GITHUB_REPOSITORY` is not set to owner/name: the runner runs inside a GitHub Actions job");
  const runId = /^[1-9]\d*$/.test(env.GITHUB_RUN_ID ?? "") ? Number(env.GITHUB_RUN_ID) : undefined;
  if (runId === undefined)
    problems.push(
      "`GITHUB_RUN_ID` is not set: the report names the run, and the app accepts it only for the run it dispatched",
    );
  const sha = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(env.GITHUB_SHA ?? "") ? env.GITHUB_SHA! : undefined;
  if (sha === undefined)
    problems.push(
      "`GITHUB_SHA` is not set to a commit: the batch's change starts from the commit the run was dispatched on",
    );
  const ref = env.GITHUB_REF ?? "";
  if (ref === "")
    problems.push("`GITHUB_REF` is not set: the runner runs on the batch's domain branch, the ref the app dispatched");
  const runnerTemp = env.RUNNER_TEMP ?? "";
  if (runnerTemp === "") problems.push("`RUNNER_TEMP` is not set: the runner runs inside a GitHub Actions job");
  if (repository === null || runId === undefined || sha === undefined || problems.length > 0)
    return { ok: false, problems };
  const trim = (url: string) => url.replace(/\/+$/, "");
  return {
    ok: true,
    context: {
      owner: repository[1]!,
      repo: repository[2]!,
      runId,
      sha,
      ref,
      runnerTemp,
      apiUrl: trim(env.GITHUB_API_URL || "https://api.github.com"),
      serverUrl: trim(env.GITHUB_SERVER_URL || "https://github.com"),
    },
  };
}
