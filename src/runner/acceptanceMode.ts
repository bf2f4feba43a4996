/**
 * `mode: acceptance` — the verify job's second runner step: puts the verified
 * change into the working tree and runs the acceptance commands (the `checks`
 * input, else the brief's). Repository code runs from here on, with no write
 * credential in the job; what it reports (acceptance.json) is data for the
 * report, and the verify step's `digest` output, set before, is out of its
 * reach.
 */
import { join } from "node:path";
import * as core from "@actions/core";
import { requestFailure } from "../github/calls/githubClient.js";
import { runChecks } from "./acceptance.js";
import { agentEnv, batchVariables } from "./agent.js";
import { briefChecks } from "./brief.js";
import { git, headOf, type GitOptions } from "./git.js";
import {
  ACCEPTANCE_FILE,
  CHANGE_FILE,
  CHANGE_FILE_BYTES,
  PATCH_FILE,
  readHandoffJson,
  runnerFolder,
  VerifiedChangeSchema,
  writeHandoffJson,
  type AcceptanceResult,
} from "./handoff.js";
import type { Inputs, RunContext } from "./inputs.js";
import { killOptions, workspaceOf, type RunnerOptions } from "./options.js";

async function check(
  inputs: Inputs,
  context: RunContext,
  options: RunnerOptions,
  result: AcceptanceResult,
): Promise<void> {
  const folder = runnerFolder(context.runnerTemp, "verified");
  const change = readHandoffJson(folder, CHANGE_FILE, VerifiedChangeSchema, CHANGE_FILE_BYTES);
  if (!change.ok) {
    result.notes.push(`The acceptance checks did not run: the verified change cannot be read (${change.reason}).`);
    return;
  }
  if (change.value.failure !== undefined) {
    if (change.value.files.length > 0)
      result.notes.push(
        "The acceptance checks did not run: the agent did not finish. Its partial work is committed for a person to look at.",
      );
    return;
  }
  const checkout: GitOptions = { cwd: workspaceOf(options), env: { PATH: process.env.PATH, HOME: process.env.HOME } };
  const head = await headOf(checkout);
  const applied =
    head === change.value.start
      ? await git(checkout, ["apply", "--binary", "--whitespace=nowarn", join(folder, PATCH_FILE)])
      : undefined;
  if (applied === undefined || applied.code !== 0) {
    result.notes.push(
      `The acceptance checks did not run: the verified change could not be put into this checkout (${applied === undefined ? `it is at ${head}, not ${change.value.start}` : applied.stderr.trim().split("\n").slice(-2).join(" / ")}).`,
    );
    return;
  }
  const commands = inputs.checks ?? briefChecks(inputs.brief);
  if (commands.length === 0)
    result.notes.push(
      "No acceptance commands: the brief names none (`command` passes) and the `checks` input is empty.",
    );
  const env = agentEnv(process.env, batchVariables(inputs));
  result.acceptance = await runChecks(commands, {
    cwd: checkout.cwd,
    env,
    timeoutMs: Math.round(inputs.timeoutMinutes * 60_000),
    ...killOptions(options),
  });
}

export async function runAcceptanceMode(inputs: Inputs, context: RunContext, options: RunnerOptions): Promise<void> {
  const result: AcceptanceResult = { version: 1, key: inputs.key, acceptance: [], notes: [] };
  try {
    await check(inputs, context, options, result);
  } catch (error) {
    result.notes.push(`The acceptance checks did not finish: ${requestFailure(error)}`);
  }
  for (const note of result.notes) core.warning(note, { title: "Acceptance" });
  writeHandoffJson(runnerFolder(context.runnerTemp, "verified"), ACCEPTANCE_FILE, result);
}
