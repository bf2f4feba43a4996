import { z } from "zod";
import yaml from "js-yaml";
import type { Problem } from "./problem.js";

const DomainSchema = z
  .object({
    files: z.array(z.string().min(1)).default([]).describe("Path globs this domain owns and its batches may change."),
    agents: z
      .array(z.string().min(1))
      .default([])
      .describe("Agent names in a breakdown that mean this domain (e.g. `fastapi-backend-expert`)."),
    profile: z
      .string()
      .min(1)
      .optional()
      .describe("Agent profile handed to the agent workflow for this domain's batches."),
    allowProtected: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "Protected paths (workflows and the rest of `.github/**`, CODEOWNERS, `.gitmodules`, package-manager configuration…) this domain's batches may change, as globs, when they are inside the batch's scope too.",
      ),
    allowSymlinks: z
      .boolean()
      .optional()
      .describe(
        "Let this domain's batches add symlinks (never one out of the repository or to a path the batch could not change).",
      ),
    allowSubmodules: z.boolean().optional().describe("Let this domain's batches add or move submodules."),
  })
  .strict();

const PermissionSchema = z.enum(["read", "triage", "write", "maintain", "admin"]);

export const ConfigSchema = z
  .object({
    label: z.string().min(1).default("parallel-coordinator").describe("The label that makes an issue a coordination."),
    agents: z
      .number()
      .int()
      .min(2)
      .max(4)
      .optional()
      .describe("Agents running at once, 2–4. Default: the number of domains, within 2–4."),
    allowEpics: z
      .boolean()
      .default(false)
      .describe("Plan Level-3 breakdowns (over 8 hours or 25 batches) instead of refusing them."),
    batch: z
      .object({
        min: z.number().int().positive().default(15).describe("Lower end of the batch size, in minutes."),
        max: z.number().int().positive().default(25).describe("Upper end of the batch size, in minutes."),
        merge: z
          .number()
          .int()
          .positive()
          .default(10)
          .describe("Tasks under this many minutes in one domain merge into one batch."),
        refuse: z
          .number()
          .int()
          .positive()
          .default(45)
          .describe("Tasks over this many minutes are refused and must be split."),
      })
      .strict()
      .prefault({})
      .describe("Batch sizes in minutes."),
    domains: z
      .record(z.string().min(1), DomainSchema)
      .default({})
      .describe("Domains by name: the globs each owns and the agent names that mean it."),
    owners: z
      .record(z.string().min(1), z.string().min(1))
      .default({})
      .describe("Owner domain of a conflict zone, by file path or glob."),
    mergeMethod: z
      .enum(["merge", "squash", "rebase"])
      .default("merge")
      .describe("How an accepted batch's pull request merges into the integration branch."),
    retries: z
      .number()
      .int()
      .min(0)
      .max(3)
      .default(1)
      .describe(
        "Automatic retries of a batch whose run failed, was cancelled or timed out, before it becomes a blocker.",
      ),
    pause: z
      .object({
        cancelWithinMinutes: z
          .number()
          .min(0)
          .default(3)
          .describe(
            "On /pause, a batch whose run started less than this many minutes ago is cancelled and goes back to pending; later ones finish.",
          ),
      })
      .strict()
      .prefault({})
      .describe("How /pause treats running batches."),
    subIssues: z
      .object({
        domainLabel: z
          .string()
          .min(1)
          .default("domain:")
          .describe("A sub-issue's label that starts with this names its domain (`domain:backend`)."),
        // Optional, not `false` by default: a state pins its config, and one without the key still reads in an app
        // that predates it.
        mirror: z
          .boolean()
          .optional()
          .describe(
            "Mirror a plan written in the issue's body as sub-issues, one per batch, blocked by the batches it waits for; each shows its batch's status (a label, closed once merged or skipped), and closing one is /skip of its batch from whoever closed it. Off by default.",
          ),
      })
      .strict()
      .prefault({})
      .describe(
        "How a feature issue planned from its sub-issues is read, and whether a plan is mirrored as sub-issues.",
      ),
    permission: PermissionSchema.default("write").describe(
      "The least repository permission a person needs to command the app.",
    ),
    publisher: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]*\[bot\]$/, "a GitHub App's bot login, such as my-runner[bot]")
      .optional()
      .describe(
        "The bot the agent workflow's publish job writes as, when it uses the token of a GitHub App other than this one (`<app-slug>[bot]`). A batch's report counts only when this bot, github-actions[bot] (the workflow's GITHUB_TOKEN) or this app wrote it.",
      ),
    budget: z
      .object({
        minutes: z.number().positive().optional().describe("Agent minutes: the runs' times added up."),
        usd: z.number().positive().optional().describe("Cost in US dollars, as the agents report it."),
      })
      .strict()
      .optional()
      .describe(
        "A budget per feature: when the agent minutes or the reported cost pass it, the coordination pauses itself with a checkpoint; `/resume` goes on, `/resume budget +60m` raises it.",
      ),
    workflow: z
      .string()
      .regex(/^[\w.-]+\.ya?ml$/, "a workflow file name in .github/workflows, such as parallel-coordinator-agent.yml")
      .default("parallel-coordinator-agent.yml")
      .describe("The agent workflow's file name under .github/workflows."),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type Permission = z.infer<typeof PermissionSchema>;

/** The config of a repository with no `.github/parallel-coordinator.yml`. */
export const defaultConfig: Config = ConfigSchema.parse({});

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: Problem[] };

/** Validates an already-parsed config object, reporting every problem by its path. */
export function configFromObject(value: unknown): ConfigResult {
  const result = ConfigSchema.safeParse(value ?? {});
  if (result.success) {
    const problems = configConsistency(result.data);
    return problems.length === 0 ? { ok: true, config: result.data } : { ok: false, problems };
  }
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      field: issue.path.length === 0 ? "(config)" : issue.path.join("."),
      message: issue.message,
    })),
  };
}

/** Parses `.github/parallel-coordinator.yml` text. */
export function configFromYaml(text: string): ConfigResult {
  let value: unknown;
  try {
    value = yaml.load(text);
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    return {
      ok: false,
      problems: [
        {
          message: `not valid YAML: ${(error as { reason?: string }).reason ?? String(error)}`,
          ...(mark?.line === undefined ? {} : { line: mark.line + 1 }),
        },
      ],
    };
  }
  return configFromObject(value);
}

function configConsistency(config: Config): Problem[] {
  const problems: Problem[] = [];
  const { min, max, merge, refuse } = config.batch;
  if (!(merge <= min && min <= max && max <= refuse)) {
    problems.push({
      field: "batch",
      message: `expected merge ≤ min ≤ max ≤ refuse, got ${merge}, ${min}, ${max}, ${refuse}`,
    });
  }
  for (const [file, owner] of Object.entries(config.owners)) {
    if (!(owner in config.domains) && Object.keys(config.domains).length > 0) {
      problems.push({
        field: `owners.${file}`,
        message: `"${owner}" is not one of the domains (${Object.keys(config.domains).join(", ")})`,
      });
    }
  }
  const seen = new Map<string, string>();
  for (const [domain, { agents }] of Object.entries(config.domains)) {
    for (const agent of agents) {
      const other = seen.get(agent);
      if (other !== undefined) {
        problems.push({
          field: `domains.${domain}.agents`,
          message: `agent "${agent}" is already mapped to domain "${other}"`,
        });
      }
      seen.set(agent, domain);
    }
  }
  return problems;
}
