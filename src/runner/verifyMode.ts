/**
 * `mode: verify` — the first runner step of the verify job, on a fresh
 * checkout of the start commit, before any repository code runs in the job.
 * Takes the agent job's hand-over as untrusted data, applies its patch in a
 * repository of the runner's own (no hooks, includes, filters or monitor;
 * index only, so nothing of the change reaches the working tree here), judges
 * every path of the real change (schedule/judge.ts), puts back what is refused or
 * outside the scope, and writes the verified change (change.json, with the
 * files' bytes, and change.patch). Its SHA-256 becomes the step's output
 * `digest`, the job output the publish job checks the artifact against: set
 * here, before the acceptance step runs repository code, it is out of that
 * code's reach (a step's outputs are read when the step ends).
 */
import { basename, join } from "node:path";
import * as core from "@actions/core";
import { requestFailure } from "../github/calls/githubClient.js";
import { codeSpan, inlineText, truncate } from "../base/markdownText.js";
import { git, gitOk, headOf, objectStoreOf, ownRepository, type GitOptions } from "./git.js";
import {
  AGENT_FILE,
  AgentHandoffSchema,
  CHANGE_FILE,
  digestOf,
  freshFolder,
  PATCH_FILE,
  readHandoffBytes,
  readHandoffJson,
  runnerFolder,
  writeHandoffJson,
  type ChangedFile,
  type VerifiedChange,
} from "./handoff.js";
import type { Inputs, RunContext } from "./inputs.js";
import { judge, type Entry } from "../schedule/judge.js";
import { workspaceOf, type RunnerOptions } from "./options.js";

/** GitHub lists at most this many files of a pull request: a larger change could not be checked in. */
const MAX_FILES = 3_000;
const NEW = "000000";
/** Each refused path is a note of the report; past this many, a count. */
const MAX_REFUSED_NOTES = 50;
const BLOB_MODES = new Set(["100644", "100755", "120000"]);

interface RawEntry {
  path: string;
  oldMode: string;
  newMode: string;
  oldSha: string;
  newSha: string;
}

/** `git diff-tree -r -z --no-renames` between two trees: a rename is a deletion and an addition. */
async function rawDiff(own: GitOptions, from: string, to: string): Promise<RawEntry[]> {
  const fields = (await gitOk(own, ["diff-tree", "-r", "-z", "--no-renames", from, to])).stdout.split("\0");
  const entries: RawEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode = "", newMode = "", oldSha = "", newSha = ""] = fields[i]!.replace(/^:/, "").split(" ");
    entries.push({ path: fields[i + 1]!, oldMode, newMode, oldSha, newSha });
  }
  return entries;
}

const blob = async (own: GitOptions, sha: string): Promise<Buffer> =>
  (await gitOk(own, ["cat-file", "blob", sha])).bytes;

/** What the judge needs to know of an entry beside its path and modes. */
async function entryOf(own: GitOptions, raw: RawEntry, inputs: Inputs): Promise<Entry> {
  const entry: Entry = { path: raw.path, newMode: raw.newMode };
  if (!BLOB_MODES.has(raw.newMode)) return entry;
  entry.size = Number((await gitOk(own, ["cat-file", "-s", raw.newSha])).stdout.trim());
  if (entry.size > inputs.limits.maxFileBytes) return entry;
  if (raw.newMode === "120000") entry.target = (await blob(own, raw.newSha)).toString("utf8");
  if (basename(raw.path) === "package.json") {
    entry.manifest = {
      ...(raw.oldMode === NEW ? {} : { before: (await blob(own, raw.oldSha)).toString("utf8") }),
      after: (await blob(own, raw.newSha)).toString("utf8"),
    };
  }
  return entry;
}

/** Applies the agent's patch, judges each path, puts back the refused ones; fills `change`. */
async function judgeChange(
  own: GitOptions,
  patchPath: string,
  inputs: Inputs,
  change: VerifiedChange,
  out: string,
): Promise<void> {
  const start = change.start;
  await gitOk(own, ["read-tree", start]);
  const applied = await git(own, ["apply", "--cached", "--binary", "--whitespace=nowarn", patchPath]);
  if (applied.code !== 0) {
    change.failure ??= `The agent's patch does not apply to ${start}: ${inlineText(applied.stderr.trim().split("\n").slice(-2).join(" / "))}`;
    return;
  }
  const changed = await rawDiff(own, start, (await gitOk(own, ["write-tree"])).stdout.trim());
  if (changed.length > MAX_FILES) {
    change.failure ??= `The agent's change touches ${changed.length} files, over the ${MAX_FILES} GitHub lists on a pull request: nothing of it was kept.`;
    return;
  }
  const putBack: string[] = [];
  const refused: string[] = [];
  for (const raw of changed) {
    const verdict = judge(await entryOf(own, raw, inputs), inputs.scope, inputs.limits);
    if (verdict.kind === "keep") continue;
    const reverted = verdict.kind === "refused" || inputs.scopeMode === "revert";
    if (reverted)
      putBack.push(raw.oldMode === NEW ? `0 ${raw.oldSha}\t${raw.path}` : `${raw.oldMode} ${raw.oldSha}\t${raw.path}`);
    change.outOfScope.push({ file: raw.path, reverted });
    if (verdict.kind === "refused")
      refused.push(`${codeSpan(truncate(raw.path, 300))} was refused and put back: ${verdict.why}.`);
  }
  change.notes.push(...refused.slice(0, MAX_REFUSED_NOTES));
  if (refused.length > MAX_REFUSED_NOTES)
    change.notes.push(
      `… and ${refused.length - MAX_REFUSED_NOTES} more paths refused and put back (all are in the report's \`outOfScope\`).`,
    );
  if (putBack.length > 0)
    await gitOk(
      own,
      ["update-index", "-z", "--index-info"],
      Buffer.from(putBack.map((line) => `${line}\0`).join(""), "utf8"),
    );
  const tree = (await gitOk(own, ["write-tree"])).stdout.trim();
  const files: ChangedFile[] = [];
  let bytes = 0;
  for (const raw of await rawDiff(own, start, tree)) {
    const status = raw.oldMode === NEW ? "added" : raw.newMode === NEW ? "deleted" : "modified";
    if (status === "deleted") {
      files.push({ path: raw.path, status, mode: raw.oldMode as ChangedFile["mode"], sha: null });
    } else if (raw.newMode === "160000") {
      files.push({ path: raw.path, status, mode: "160000", sha: raw.newSha });
    } else {
      const content = await blob(own, raw.newSha);
      bytes += content.length;
      files.push({
        path: raw.path,
        status,
        mode: raw.newMode as ChangedFile["mode"],
        sha: raw.newSha,
        content: content.toString("base64"),
      });
    }
  }
  if (bytes > inputs.limits.maxChangeBytes) {
    change.failure ??= `The agent's change writes ${bytes} bytes, over the ${inputs.limits.maxChangeBytes} a change may (\`max-change-bytes\`): nothing of it was kept.`;
    return;
  }
  change.tree = tree;
  change.files = files;
  await gitOk(own, ["diff-tree", "-p", "--binary", "--full-index", `--output=${join(out, PATCH_FILE)}`, start, tree]);
}

/** Reads the agent job's hand-over and judges its change; every problem becomes the change's `failure`, never an exception. */
async function verify(
  inputs: Inputs,
  context: RunContext,
  options: RunnerOptions,
  change: VerifiedChange,
  out: string,
): Promise<void> {
  const checkout: GitOptions = { cwd: workspaceOf(options), env: { PATH: process.env.PATH, HOME: process.env.HOME } };
  const root = (await gitOk(checkout, ["rev-parse", "--show-toplevel"])).stdout.trim();
  const at = { ...checkout, cwd: root };
  const head = await headOf(at);
  if (head !== context.sha) {
    change.failure = `The verify job's checkout is at ${head}, not at the commit the run was dispatched on (${context.sha}): check out the dispatched ref as it was (actions/checkout's default).`;
    return;
  }
  const from = runnerFolder(context.runnerTemp, "agent");
  const handed = readHandoffJson(from, AGENT_FILE, AgentHandoffSchema);
  if (!handed.ok) {
    change.failure = `The agent job handed over nothing usable (${handed.reason}): it did not finish, or its artifact was not downloaded.`;
    return;
  }
  const agent = handed.value;
  if (agent.key !== inputs.key || agent.start !== context.sha) {
    change.failure = `The agent job's hand-over is for ${inlineText(agent.key)} at ${agent.start}, not for this run (${inputs.key} at ${context.sha}).`;
    return;
  }
  change.agent = agent.agent;
  // Written in the agent's job, so the agent's to forge: quoted as text.
  change.notes.push(...agent.notes.map((note) => `From the agent job: ${inlineText(note)}`));
  if (agent.failure !== undefined) change.failure = agent.failure;
  const patch = readHandoffBytes(from, PATCH_FILE, inputs.limits.maxChangeBytes);
  if (!patch.ok) {
    if (agent.failure === undefined)
      change.failure = `The agent's change cannot be taken: ${patch.reason} (\`max-change-bytes\`).`;
    return;
  }
  if (patch.value.length === 0) return;
  const own = await ownRepository(runnerFolder(context.runnerTemp, "git-verify"), await objectStoreOf(at));
  await judgeChange(own, join(from, PATCH_FILE), inputs, change, out);
}

/** The verify step: writes the verified change and sets the `digest` output; returns the digest. */
export async function runVerifyMode(inputs: Inputs, context: RunContext, options: RunnerOptions): Promise<string> {
  const out = freshFolder(runnerFolder(context.runnerTemp, "verified"));
  const change: VerifiedChange = {
    version: 1,
    key: inputs.key,
    start: context.sha,
    scopeMode: inputs.scopeMode,
    agent: {},
    notes: [],
    files: [],
    outOfScope: [],
  };
  try {
    await verify(inputs, context, options, change, out);
  } catch (error) {
    change.failure ??= `The runner failed: ${requestFailure(error)}`;
    change.files = [];
  }
  if (change.failure === undefined && change.files.length === 0) {
    const reverted = change.outOfScope.filter((item) => item.reverted).length;
    change.failure = `Nothing to commit: the agent changed no file inside the batch's scope${reverted > 0 ? ` (${reverted} change(s) outside it were put back)` : ""}.`;
  }
  for (const item of change.outOfScope)
    core.info(`${item.reverted ? "Put back" : "Outside the scope, left in place"}: ${item.file}`);
  if (change.failure !== undefined) core.error(change.failure, { title: "Verify" });
  core.info(`${change.files.length} file(s) in the verified change.`);
  const digest = digestOf(writeHandoffJson(out, CHANGE_FILE, change));
  core.setOutput("digest", digest);
  core.info(`Verified change: ${join(out, CHANGE_FILE)}, ${digest}.`);
  return digest;
}
