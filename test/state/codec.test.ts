import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/base/config.js";
import { dashboardBody, tooLargeToStart } from "../../src/github/stores/dashboardComment.js";
import { decodeState, encodeState, stateKey } from "../../src/state/codec.js";
import { StateSchema, stateVersion, type State } from "../../src/state/stateSchema.js";
import { readBreakdown } from "../../src/plan/readBreakdown.js";
import type { Plan } from "../../src/plan/planModel.js";
import { planFromSource } from "../../src/schedule/planner.js";
import { startState } from "../../src/state/startState.js";
import { T0, at, completed, evidence, play, report, setup } from "./support.js";

const key = stateKey("the app's secret");
const repoUrl = "https://github.com/acme/app";

/** A coordination part-way through: runs, findings, integration points, notes. */
function busyState(): State {
  const { plan, state } = setup();
  return play(plan, state, [
    { kind: "start", at: T0 },
    { kind: "dispatched", at: T0, batch: "api", attempt: 1, runId: 101 },
    { kind: "dispatched", at: T0, batch: "styles", attempt: 1, runId: 102 },
    completed(101, 40, at(40), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
    { kind: "merged", at: at(40), batch: "api", sha: "merge-1" },
    completed(102, 10, at(41), {
      evidence: evidence(502, ["frontend/styles/a.css", "backend/x.py"], report("styles", 102)),
    }),
  ]).state;
}

/** The base64url payload and signature of the block in `text`. */
function parts(text: string): { payload: string; signature: string } {
  const match = /parallel-coordinator:state v\d+ ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+) -->/.exec(text);
  if (match === null) throw new Error("no block");
  return { payload: match[1]!, signature: match[2]! };
}

function sign(payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

function block(payload: string, signature = sign(payload), version = `v${stateVersion}`): string {
  return `<!-- parallel-coordinator:state ${version} ${payload}.${signature} -->`;
}

/** Changes one base64url character in the middle of `text` to another. */
function flip(text: string, index = Math.floor(text.length / 2)): string {
  const c = text[index]!;
  return `${text.slice(0, index)}${c === "A" ? "B" : "A"}${text.slice(index + 1)}`;
}

describe("encodeState / decodeState", () => {
  it("round-trips a state exactly", () => {
    const state = busyState();
    const decoded = decodeState(`Some text\n\n${encodeState(state, key)}\n`, key);
    expect(decoded).toEqual({ ok: true, state });
  });

  it("is a hidden HTML comment on one line, with nothing Markdown or HTML reads inside", () => {
    const text = encodeState(busyState(), key);
    expect(text).toMatch(
      new RegExp(`^<!-- parallel-coordinator:state v${stateVersion} [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+ -->$`),
    );
  });

  it("survives GitHub ticking a task-list box elsewhere in the comment", () => {
    const { plan } = setup();
    const state = busyState();
    const body = dashboardBody(plan, state, repoUrl, key);
    expect(body).toContain("- [ ] ");
    const ticked = body.replace("- [ ] ", "- [x] ");
    expect(ticked).not.toBe(body);
    expect(decodeState(ticked, key)).toEqual({ ok: true, state });
    // And a person's edit of the visible text, too.
    expect(decodeState(body.replace("## Parallel coordination", "## Our coordination (edited)"), key)).toEqual({
      ok: true,
      state,
    });
  });

  it("refuses any change to the payload or to the signature, and a state signed with another key", () => {
    const text = encodeState(busyState(), key);
    const { payload, signature } = parts(text);
    for (const index of [0, 1, Math.floor(payload.length / 2), payload.length - 1]) {
      const changed = decodeState(block(flip(payload, index), signature), key);
      expect(changed).toEqual({ ok: false, reason: expect.stringContaining("signature does not match") });
    }
    for (const index of [0, Math.floor(signature.length / 2), signature.length - 1]) {
      expect(decodeState(block(payload, flip(signature, index)), key).ok).toBe(false);
    }
    expect(decodeState(block(payload, signature.slice(0, -1)), key).ok).toBe(false);
    expect(decodeState(block(payload, `${signature}A`), key).ok).toBe(false);
    expect(decodeState(text, stateKey("another secret")).ok).toBe(false);
  });

  it("a state someone made up is refused even when it is well formed", () => {
    const forged: State = { ...busyState(), status: "done" };
    const payload = deflateRawSync(Buffer.from(JSON.stringify(forged))).toString("base64url");
    const decoded = decodeState(block(payload, "not-the-signature"), key);
    expect(decoded.ok).toBe(false);
    // Signed with the key of another installation of the app: refused too.
    expect(decodeState(encodeState(forged, stateKey("someone else's app")), key).ok).toBe(false);
  });

  it("user text with `-->` or a block of its own can neither break nor replace the state", () => {
    const nasty = "Close the comment --> <!-- parallel-coordinator:state v1 AAAA.BBBB --> `-->` *end*";
    const yaml = `title: "${nasty}"
agents: 2
tasks:
  - { id: a, title: "A ${nasty}", domain: backend, files: ["backend/**"], estimate: 20 }
  - { id: b, title: "B -->", domain: frontend, files: ["frontend/**"], estimate: 20 }
`;
    const { plan, state: planned } = setup(yaml);
    const state = play(plan, planned, [
      { kind: "start", at: T0 },
      { kind: "dispatched", at: T0, batch: "a", attempt: 1, runId: 1 },
      completed(1, 15, at(15), {
        evidence: evidence(
          7,
          ["backend/x.py"],
          report("a", 1, { status: "Blocked", blockers: [nasty], summary: nasty, integrationPoints: [nasty] }),
        ),
      }),
    ]).state;
    expect(state.plan.title).toContain("-->");
    // The report's words are kept as data, escaped: no `-->` of theirs reaches the state.
    expect(state.batches.a!.blocker).toContain("--\\>");

    const body = dashboardBody(plan, state, repoUrl, key);
    expect(decodeState(body, key)).toEqual({ ok: true, state });
    // The only real state block is the app's last one.
    expect(body.trimEnd().endsWith(encodeState(state, key))).toBe(true);
    // A person who pastes a block after the app's own gets no state at all, not theirs.
    expect(decodeState(`${body}\n${block("AAAA", "BBBB")}`, key).ok).toBe(false);
  });

  it("never throws on garbage, and says why", () => {
    const valid = encodeState(busyState(), key);
    const garbage: Array<string | null | undefined> = [
      null,
      undefined,
      "",
      "hello",
      "<!-- parallel-coordinator:state -->",
      "<!-- parallel-coordinator:state v1 . -->",
      "<!-- parallel-coordinator:state v1 abc -->",
      valid.replace(`v${stateVersion}`, `v${stateVersion + 1}`),
      valid.replace(" -->", ""),
      valid.slice(0, valid.length / 2),
      block("not-deflate-data"),
      block(deflateRawSync(Buffer.from("{not json")).toString("base64url")),
      block(
        deflateRawSync(Buffer.from(JSON.stringify({ version: stateVersion, issue: "twelve" }))).toString("base64url"),
      ),
      block(deflateRawSync(Buffer.from("null")).toString("base64url")),
      block(deflateRawSync(Buffer.from("[]")).toString("base64url")),
      block(""),
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = "<!-->. parallel-coordinator:state v1 ABCxyz_-019\n`*[]";
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(random() * 200);
      let text = "";
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
      garbage.push(text, `${valid.slice(0, Math.floor(random() * valid.length))}${text}`);
    }
    for (const text of garbage) {
      const decoded = decodeState(text, key);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.reason).not.toBe("");
    }
    expect(decodeState(block("not-deflate-data"), key)).toEqual({
      ok: false,
      reason: expect.stringContaining("cannot be read"),
    });
    // The version that counts is the signed one inside: a header changed by hand is refused.
    expect(decodeState(valid.replace(`v${stateVersion}`, `v${stateVersion + 1}`), key)).toEqual({
      ok: false,
      reason: `the state's version (${stateVersion}) is not the block's (v${stateVersion + 1})`,
    });
    expect(
      decodeState(
        block(deflateRawSync(Buffer.from(JSON.stringify({ version: stateVersion }))).toString("base64url")),
        key,
      ),
    ).toEqual({
      ok: false,
      reason: expect.stringContaining("the state is not valid"),
    });
  });
});

/**
 * `planned` as it stands at its largest: the state only grows, and here every
 * batch is redone once and accepted, with its findings, summary, three
 * integration points and five changes; a note per batch; half of them blocked
 * with a long reason (which the dashboard shows too) — more than any real
 * coordination keeps.
 */
function atItsLargest(plan: Plan, planned: State): State {
  const state: State = structuredClone(play(plan, planned, [{ kind: "start", at: T0 }]).state);
  plan.batches.forEach((batch, index) => {
    const own = state.batches[batch.id]!;
    own.status = index % 2 === 0 ? "accepted" : "blocked";
    own.runs = [1, 2].map((attempt) => ({
      attempt,
      key: `pc-12-${batch.id}-${attempt}`,
      id: 9_000_000_000 + index * 2 + attempt,
      dispatchedAt: at(index),
      completedAt: at(index + 30),
      minutes: 31.25,
      outcome: attempt === 1 ? ("redo" as const) : ("accepted" as const),
    }));
    own.pr = 10_000 + index;
    own.redos = 1;
    own.scopeStrikes = 1;
    own.findings = [
      `Scope: 2 files outside the batch (${batch.domain}/other/${index}.ts, shared/${index}.ts). Leave them to their owners.`,
      `Red flag: took 31 min, over 150 % of the ${batch.estimate}-minute estimate.`,
    ];
    own.summary = `Implemented part ${index + 1} of the pipeline for ${batch.domain}: handlers, validation, error mapping and tests; documented the new endpoints in the API guide.`;
    own.integrationPoints = [1, 2, 3].map(
      (n) =>
        `${batch.id} contract ${n}: POST /api/${batch.id}/items/${n} takes {id: string, body: string} and returns 201 with the item (see ${batch.domain}/part/${n}.ts:${10 * n})`,
    );
    own.changes = [1, 2, 3, 4, 5].map((n) => ({
      file: `${batch.domain}/part${index + 1}/file${n}.ts`,
      line: n * 7,
      summary: `Added handler ${n} of ${batch.id} with validation and error mapping`,
    }));
    if (own.status === "blocked")
      own.blocker = `The agent reports Blocked: the ${batch.domain} schema for part ${index + 1} is undecided; it needs a decision on ids, pagination and error codes before it can go on.`;
    state.notes.push(`Batch ${index + 1} took 31 min for a ${batch.estimate}-minute estimate.`);
    state.synced[batch.domain] = `${"0123456789abcdef".repeat(2)}${String(index).padStart(8, "0")}`;
  });
  state.head = "f".repeat(40);
  state.finalPr = 99_999;
  state.integrationIssues = 7;
  state.pause = {
    by: "a-maintainer-with-a-long-name",
    at: at(500),
    reason: "Waiting for the schema decision from the platform team",
  };
  state.resumed = { by: "a-maintainer-with-a-long-name", at: at(600) };
  return state;
}

describe("a 100-batch coordination", () => {
  /** 100 tasks in four domains, chained within each domain, with long titles and steps. */
  function hundredTasks(): string {
    const domains = ["backend", "frontend", "mobile-client", "infrastructure"];
    const lines = ["title: A very large feature planned with --force", "agents: 4", "tasks:"];
    for (let i = 1; i <= 100; i++) {
      const domain = domains[i % 4]!;
      const needs = i > 4 ? `[t${i - 4}]` : "[]";
      lines.push(
        `  - id: t${i}`,
        `    title: "Task ${i}: implement part ${i} of the notification pipeline for ${domain}, with its tests and its documentation"`,
        `    domain: ${domain}`,
        `    files: ["${domain}/part${i}/**", "${domain}/shared/part${i}.ts"]`,
        `    estimate: ${15 + (i % 3) * 5}`,
        `    needs: ${needs}`,
        `    steps: ["Write the ${domain} code of part ${i}", "Cover part ${i} with tests", "Document part ${i}"]`,
        `    accept: [{ run: "npm test -- ${domain}/part${i}" }, "Part ${i} is reachable from the app"]`,
      );
    }
    return `${lines.join("\n")}\n`;
  }

  it("plans, and its state with the dashboard fits one GitHub comment (65,536 characters), at its largest", () => {
    const yaml = hundredTasks();
    const { plan, state: planned } = setup(yaml, defaultConfig, true);
    expect(plan.batches).toHaveLength(100);
    const state = atItsLargest(plan, planned);
    const valid = StateSchema.parse(state);

    const body = dashboardBody(plan, valid, repoUrl, key);
    expect(decodeState(body, key)).toEqual({ ok: true, state: valid });
    // 59,462 characters when the plan was pinned (state v2), 56,781 when the state kept the issue body instead (v1).
    expect(body.length).toBeLessThanOrEqual(65_536);
  });
});

describe("the largest example plan (examples/moderation-queue.uk.md, 8 batches)", () => {
  it("pinned in its state, its dashboard fits one GitHub comment with room to spare, at the start and at its largest", () => {
    const result = planFromSource(
      readBreakdown(readFileSync(new URL("../../examples/moderation-queue.uk.md", import.meta.url), "utf8")),
      defaultConfig,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const plan = result.plan;
    expect(plan.batches).toHaveLength(8);
    const planned = startState(
      { issue: 12, config: defaultConfig, base: "main", baseSha: "a".repeat(40), at: T0 },
      plan,
    );
    expect(tooLargeToStart(plan, planned, repoUrl, key)).toBeUndefined();
    // 7,759 characters at the start and 12,267 at its largest when the plan was pinned (state v2); the state block holds 4,169 of the first.
    const start = dashboardBody(plan, planned, repoUrl, key);
    const largest = dashboardBody(plan, StateSchema.parse(atItsLargest(plan, planned)), repoUrl, key);
    expect(start.length).toBeLessThan(10_000);
    expect(largest.length).toBeLessThan(20_000);
  });
});
