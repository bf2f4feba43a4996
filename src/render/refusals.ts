import { formatProblem } from "../base/problem.js";
import { codeSpan, inlineText, thousands, truncate } from "../base/markdownText.js";
import type { Refusal, SetupGap } from "../state/messages.js";
import { splitsText } from "./splitFragment.js";

/** The one comment a start or re-plan that did not happen gets: what is wrong and where, and how to go on. */
export function refusalText(message: Refusal): string {
  switch (message.kind) {
    case "planProblems":
      return planProblems(message);
    case "stateTooLarge":
      return stateTooLarge(message);
    case "startRefused":
      return `### ⚠ parallel-coordinator cannot start\n\n${message.reason}\n\nNothing was started. Once the branches are sorted out, comment \`/plan\` (or remove and add the label again).`;
    case "setupMissing":
      return setupMissing(message.gap);
    case "planStopped":
      return planStopped(message);
    case "unreadableState":
      return unreadableState(message);
    case "stateLost":
      return stateLost(message);
  }
}

/** A coordination whose state is gone and cannot be rebuilt: said once, instead of silence. */
function stateLost({ reason, unknown, label }: Extract<Refusal, { kind: "stateLost" }>): string {
  const why =
    unknown.length > 0
      ? `It cannot be rebuilt from the issue's breakdown: this coordination's runs are of ${unknown.length === 1 ? "batch" : "batches"} ${unknown.map((batch) => codeSpan(batch)).join(", ")}, which the breakdown no longer plans (it was edited since they were dispatched).`
      : `It can be rebuilt from the issue's breakdown and what GitHub records once the issue carries the label ${codeSpan(label)}, added by a person who may command.`;
  const next =
    unknown.length > 0
      ? "To go on, put the breakdown back as it was when the coordination started: the app rebuilds the state at the issue's next event or its next sweep (or at once, when the label is added again). Or comment `/plan` to start the coordination over from the breakdown as it is now."
      : `To go on, add the label ${codeSpan(label)}: the app rebuilds the state and goes on. Or comment \`/plan\` to start the coordination over.`;
  return [
    "### ⚠ parallel-coordinator lost this coordination's state",
    "",
    `No comment of the app carries it any more: ${inlineText(reason)}.`,
    "",
    why,
    "",
    "Until then nothing is dispatched, checked in or merged on this issue; its branches, runs and pull requests stay as they are.",
    "",
    next,
  ].join("\n");
}

const SETTINGS = "the repository's **Settings**";

/**
 * What the Actions bot's workflow or repository lacks, and where a maintainer
 * gives it. Nothing is half-done: the engine writes its state last and every
 * effect is safe to repeat, so the next run after the fix goes on.
 */
function setupMissing(gap: SetupGap): string {
  const title = "### ⚠ parallel-coordinator cannot run here yet";
  const again =
    "Then the next event goes on: a command, the label added again, or a run of the coordinator workflow from the **Actions** tab with this issue's number.";
  switch (gap.what) {
    case "stateKey":
      return [
        title,
        "",
        gap.problem === "missing"
          ? `The repository secret \`${gap.secret}\` is not set, or the coordinator workflow does not hand it to the coordinator (\`state-key: \${{ secrets.${gap.secret} }}\`).`
          : `The repository secret \`${gap.secret}\` is shorter than ${gap.least} characters: too short to be a key.`,
        "The coordinator signs the state it keeps in its comments with it, so that a comment someone edits is never taken for its state.",
        "",
        `Create it in ${SETTINGS} → **Secrets and variables** → **Actions** → **New repository secret**: name \`${gap.secret}\`, a random value of at least ${gap.least} characters (\`openssl rand -hex 32\` makes one; \`openssl rand -hex 32 | gh secret set ${gap.secret}\` makes and sets it). Nothing was started. Then remove and add the label again, or comment \`/plan\`.`,
      ].join("\n");
    case "permission":
      return [
        title,
        "",
        `GitHub refused the coordinator's token ${codeSpan(gap.request)}: ${inlineText(gap.message.replace(/\.+$/, ""))}.`,
        "",
        `The coordinator workflow (\`.github/workflows/parallel-coordinator.yml\`) must give its job \`${gap.permission}: write\` under \`permissions:\`. Nothing was left half-done. ${again}`,
      ].join("\n");
    case "pullRequests":
      return [
        title,
        "",
        `GitHub refused the coordinator's token ${codeSpan(gap.request)}: ${inlineText(gap.message.replace(/\.+$/, ""))}.`,
        "",
        `Turn on ${SETTINGS} → **Actions** → **General** → **Workflow permissions** → *Allow GitHub Actions to create and approve pull requests*, or give the coordinator an App's token (README: "Without a server"). Nothing was left half-done. ${again}`,
      ].join("\n");
  }
}

/**
 * Planning stopped by its budget: the body is untrusted text, and no plan may
 * hold the app (or its memory) for long. Said at the start, or in answer to `/plan`.
 */
function planStopped({ stopped, limit, when }: Extract<Refusal, { kind: "planStopped" }>): string {
  const cost =
    stopped === "time"
      ? `took longer than ${seconds(limit)}, the most a plan may take`
      : `needed more than ${thousands(limit)} MB of memory, the most a plan may use`;
  return [
    `### ⚠ parallel-coordinator cannot ${when === "start" ? "plan this issue" : "re-plan"}`,
    "",
    `Planning this breakdown ${cost}, and was stopped: an issue's text is planned within limits, so that no breakdown can hold up the app. A breakdown of ordinary size plans well within them.`,
    "",
    when === "start"
      ? "Nothing was started. Shorten or simplify the breakdown (folders such as `src/api/` rather than long lists of files, less formatting), or split the feature, then comment `/plan` (or remove and add the label again)."
      : "Nothing changed; the coordination stays paused on its old plan. Shorten or simplify the breakdown (folders such as `src/api/` rather than long lists of files, less formatting), or split the feature, then comment `/plan` again.",
  ].join("\n");
}

function seconds(ms: number): string {
  return ms % 1_000 === 0 ? `${thousands(ms / 1_000)} s` : `${thousands(ms)} ms`;
}

/**
 * A state this version of the app cannot take: said once per issue and state
 * version, since every event of the issue meets it again.
 */
function unreadableState({ version, reads, reason }: Extract<Refusal, { kind: "unreadableState" }>): string {
  const untouched =
    "The app leaves this issue as it is: nothing is dispatched, merged or answered, and the state is not written over. The events of this issue it receives meanwhile are logged with their delivery ids: once a version that reads this state runs, redeliver them from the GitHub App's settings (Advanced → Recent Deliveries).";
  return version > reads
    ? [
        "### ⚠ parallel-coordinator cannot read this coordination's state",
        "",
        `It was written by a newer version of the app (state v${version}) than the one running now, which reads states up to v${reads}.`,
        "",
        untouched,
        "",
        "If the app was rolled back, upgrade it again: the newer version takes the coordination up where it stands.",
      ].join("\n")
    : [
        "### ⚠ parallel-coordinator cannot read this coordination's state",
        "",
        `It was written by an older version of the app (state v${version}), and the version running now (state v${reads}) cannot bring it up to its own${reason === undefined ? "" : `: ${inlineText(reason)}`}.`,
        "",
        untouched,
        "",
        `A release of the app that writes state v${version} can take the coordination to its end.`,
      ].join("\n");
}

function planProblems({ problems, what, splits }: Extract<Refusal, { kind: "planProblems" }>): string {
  // At most 50 problems of 1,000 characters: the comment stays within GitHub's 65,536 whatever the body quotes.
  const lines = problems.slice(0, 50).map((problem) => `- ${inlineText(truncate(formatProblem(problem), 1_000))}`);
  if (problems.length > 50) lines.push(`- …and ${problems.length - 50} more`);
  return [
    what === "breakdown"
      ? `### ⚠ parallel-coordinator cannot plan this issue`
      : `### ⚠ parallel-coordinator cannot read \`.github/parallel-coordinator.yml\``,
    "",
    `${problems.length} problem${problems.length === 1 ? "" : "s"}:`,
    "",
    ...lines,
    "",
    ...(splits === undefined ? [] : [splitsText(splits), ""]),
    what === "breakdown"
      ? "Nothing was started. Fix the issue's body, then comment `/plan` (or remove and add the label again)."
      : "Nothing was started. Fix the file on the default branch, then comment `/plan`.",
  ].join("\n");
}

/**
 * A breakdown whose state would outgrow its dashboard comment (GitHub holds
 * 65,536 characters): said at the start, or in answer to `/plan`.
 */
function stateTooLarge({ size, limit, when }: Extract<Refusal, { kind: "stateTooLarge" }>): string {
  const n = (value: number) => value.toLocaleString("en");
  return [
    `### ⚠ parallel-coordinator cannot ${when === "start" ? "start" : "re-plan"}`,
    "",
    `This coordination's state would not fit in its dashboard comment: it keeps the plan it runs, and the dashboard would be ${n(size)} characters. GitHub holds at most 65,536 in a comment, and a coordination needs room to grow (about 400 characters a batch), so this one can have ${n(limit)} at most.`,
    "",
    when === "start"
      ? "Nothing was started. Shorten the issue body (link long context rather than pasting it) or split the feature, then comment `/plan` (or remove and add the label again)."
      : "Nothing changed; the coordination stays paused on its old plan. Shorten the issue body (link long context rather than pasting it) or split the feature, then comment `/plan` again.",
  ].join("\n");
}
