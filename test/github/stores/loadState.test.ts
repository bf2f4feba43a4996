import { describe, expect, it } from "vitest";
import { UnreadableState, loadState, stateFromComments } from "../../../src/github/stores/loadState.js";
import { memoryLocks } from "../../../src/github/stores/lock.js";
import { dashboardMarker, commentMarker } from "../../../src/github/stores/markers.js";
import { dashboardBody } from "../../../src/github/stores/dashboardComment.js";
import { encodeState, stateKey } from "../../../src/state/codec.js";
import { stateVersion, type State } from "../../../src/state/stateSchema.js";
import type { Comment } from "../../../src/github/calls/githubTypes.js";
import { githubApi, useGitHubApi } from "../../helpers/github.js";
import { at, completed, evidence, play, report, running } from "../../state/support.js";
import { FEATURE_YAML } from "../../state/support.js";
import { asVersion1, stateBlock, withBlock } from "../../state/stateFixtures.js";
import { apiComment, octokit, repo, where } from "../support.js";

useGitHubApi();

const key = stateKey("the app's secret");
/** The states of one coordination as it goes on: each later than the one before. */
const { plan, state: started } = running();
const blockedApi = play(plan, started, [
  completed(101, 5, at(5), {
    evidence: evidence(501, ["backend/api/a.py"], report("api", 101, { status: "Blocked" })),
  }),
]).state;
const later = play(plan, blockedApi, [completed(102, 9, at(9), { conclusion: "failure" })]).state;

/** GitHub's times of a comment, `minute` minutes after 09:00 (posted then, last written `edited` minutes after). */
const times = (minute: number, edited = minute) => ({ createdAt: at(minute), updatedAt: at(edited) });
const app = (id: number, body: string, minute = id): Comment => ({
  id,
  body,
  author: "parallel-coordinator[bot]",
  bot: true,
  ...times(minute),
});
const person = (id: number, body: string): Comment => ({ id, body, author: "mallory", bot: false, ...times(id) });

function dashboard(id: number, state: State): Comment {
  return app(id, dashboardBody(plan, state, "https://github.com/acme/app", key));
}

function checkpoint(id: number, name: string, state: State): Comment {
  const marker = commentMarker(name);
  return app(id, `### ⛔ Blocker\n\n${marker}\n${encodeState(state, key)}`);
}

describe("stateFromComments", () => {
  it("reads the state from the app's dashboard", () => {
    const loaded = stateFromComments(
      [person(1, "Please start"), dashboard(2, later), checkpoint(3, "blocker-api-1", blockedApi)],
      key,
    );
    expect(loaded.state).toEqual(later);
    expect(loaded.dashboard?.id).toBe(2);
    expect(loaded.restored).toBeUndefined();
  });

  it("has no state when nothing is there", () => {
    expect(stateFromComments([], key)).toEqual({ comments: [] });
    expect(stateFromComments([person(1, "hello")], key).state).toBeUndefined();
  });

  it("ignores a state in a comment from a person, even one with the app's valid signature copied into it", () => {
    const copied = dashboardBody(plan, { ...later, status: "done" }, "https://github.com/acme/app", key);
    const loaded = stateFromComments([dashboard(2, started), person(3, copied)], key);
    expect(loaded.state).toEqual(started);
    // With the dashboard damaged, the person's copy is still not a checkpoint.
    const damaged = stateFromComments([app(2, `${dashboardMarker}\nedited`), person(3, copied)], key);
    expect(damaged.state).toBeUndefined();
  });

  it("ignores a forged state comment from another user or another app", () => {
    const forgedByUser = person(
      3,
      `${dashboardMarker}\n${encodeState({ ...later, status: "done" }, stateKey("guessed"))}`,
    );
    const otherApp: Comment = {
      id: 4,
      body: `${dashboardMarker}\n${encodeState({ ...later, status: "aborted" }, stateKey("other app"))}`,
      author: "other[bot]",
      bot: true,
      ...times(4),
    };
    const loaded = stateFromComments([forgedByUser, otherApp, dashboard(5, started)], key);
    expect(loaded.state).toEqual(started);
  });

  it("a dashboard a person edited (its signature fails) falls back to the newest valid checkpoint, saying why", () => {
    const real = dashboard(2, later).body;
    const { payload } = /v\d+ (?<payload>[A-Za-z0-9_-]+)\./.exec(real)!.groups as { payload: string };
    const tampered = real.replace(
      payload,
      `${payload.slice(0, 10)}${payload[10] === "A" ? "B" : "A"}${payload.slice(11)}`,
    );
    const comments = [
      app(2, tampered),
      // Newest by the state's time, not by position.
      checkpoint(4, "blocker-api-1", blockedApi),
      checkpoint(3, "pause", started),
    ];
    const loaded = stateFromComments(comments, key);
    expect(loaded.state).toEqual(blockedApi);
    expect(loaded.dashboard?.id).toBe(2);
    expect(loaded.restored).toMatch(/signature does not match/);
  });

  it("a missing dashboard is restored from the newest checkpoint", () => {
    const loaded = stateFromComments([checkpoint(3, "blocker-api-1", blockedApi)], key);
    expect(loaded.state).toEqual(blockedApi);
    expect(loaded.dashboard).toBeUndefined();
    expect(loaded.restored).toBe("the dashboard is missing");
  });

  it("a ticked task-list box in the dashboard does not count as damage", () => {
    const body = dashboard(2, later).body.replace("- [ ] ", "- [x] ");
    const loaded = stateFromComments([app(2, body), checkpoint(3, "blocker-api-1", blockedApi)], key);
    expect(loaded.state).toEqual(later);
    expect(loaded.restored).toBeUndefined();
  });
});

describe("an earlier dashboard put back (a rollback)", () => {
  // Each write of the app counts: the dashboard it wrote at its first, second and third write.
  const first = { ...started, seq: 1 };
  const second = { ...blockedApi, seq: 2 };
  const third = { ...later, seq: 3 };
  /** The dashboard posted at minute 1, last written (by the app, or by a person pasting an old body) at `edited`. */
  const board = (state: State, edited: number): Comment => ({ ...dashboard(2, state), ...times(1, edited) });

  it("after the app posted a snapshot of a later state: refused, and restored from the newest snapshot, saying why", () => {
    // The blocker of write 2 at minute 5; at minute 8 someone pastes the dashboard's body of write 1 back.
    const loaded = stateFromComments(
      [board(first, 8), { ...checkpoint(5, "blocker-api-1", second), ...times(5) }],
      key,
      started.issue,
    );
    expect(loaded.state).toEqual(second);
    expect(loaded.dashboard?.id).toBe(2);
    expect(loaded.restored).toBe(
      "it holds an earlier state (the app's write 1) than the one the app last wrote (write 2): someone put an earlier version of the dashboard back, and it was not taken",
    );
  });

  it("is not the app's own step that posted a snapshot and failed before it wrote the dashboard: the dashboard is taken", () => {
    const loaded = stateFromComments(
      [board(first, 3), { ...checkpoint(5, "blocker-api-1", second), ...times(5) }],
      key,
      started.issue,
    );
    expect(loaded.state).toEqual(first);
    expect(loaded.restored).toBeUndefined();
  });

  it("with no later snapshot, the seq the app last wrote (the journal's) is the witness; the newest state left is taken, and said so", () => {
    const comments = [board(first, 8), { ...checkpoint(3, "blocker-api-1", { ...blockedApi, seq: 1 }), ...times(3) }];
    expect(stateFromComments(comments, key, started.issue).restored).toBeUndefined();
    const loaded = stateFromComments(comments, key, started.issue, 3);
    expect(loaded.restored).toMatch(
      /^it holds an earlier state \(the app's write 1\) than the one the app last wrote \(write 3\)/,
    );
    // Of two states of the same write, the later one.
    expect(loaded.state).toEqual({ ...blockedApi, seq: 1 });
    // The journal behind the dashboard (another replica wrote since) is no rollback.
    expect(stateFromComments([board(third, 8)], key, started.issue, 2).restored).toBeUndefined();
  });

  it("restores from the snapshot the app wrote last, whatever their times say", () => {
    const loaded = stateFromComments(
      [
        board(first, 9),
        { ...checkpoint(5, "blocker-api-1", third), ...times(5) },
        { ...checkpoint(6, "pause", { ...second, updatedAt: at(50) }), ...times(6) },
      ],
      key,
      started.issue,
    );
    expect(loaded.state).toEqual(third);
  });
});

describe("a state of another version of the app", () => {
  /** `comment` with its state block replaced by `value`, signed. */
  const rewritten = (comment: Comment, value: Parameters<typeof stateBlock>[0]): Comment =>
    app(comment.id, withBlock(comment.body, stateBlock(value, key)));

  it("of version 1, in the dashboard, loads as this version's, with the plan it ran", () => {
    const body = `\`\`\`yaml\n${FEATURE_YAML}\`\`\`\n`;
    const loaded = stateFromComments(
      [rewritten(dashboard(2, later), asVersion1(later, body)), checkpoint(3, "blocker-api-1", blockedApi)],
      key,
    );
    // The plan of the body: the same batches, each a line lower (below the fence).
    expect(loaded.state).toEqual({
      ...later,
      plan: { ...later.plan, batches: later.plan.batches.map((batch) => ({ ...batch, line: batch.line! + 1 })) },
    });
    expect(loaded.restored).toBeUndefined();
  });

  it("newer, in the dashboard: nothing is loaded, not even an older checkpoint; it says which version wrote it", () => {
    const comments = [
      rewritten(dashboard(2, later), { ...later, version: stateVersion + 1 }),
      checkpoint(3, "blocker-api-1", blockedApi),
    ];
    expect(() => stateFromComments(comments, key, later.issue)).toThrow(UnreadableState);
    expect(() => stateFromComments(comments, key, later.issue)).toThrow(
      `the state was written by a newer version of the app (state v${stateVersion + 1}; this one reads up to v${stateVersion}): the issue is left untouched`,
    );
  });

  it("newer, in a checkpoint while the dashboard is damaged: nothing is loaded", () => {
    const comments = [
      app(2, `${dashboardMarker}\nedited`),
      rewritten(checkpoint(3, "blocker-api-1", blockedApi), { ...later, version: stateVersion + 1 }),
    ];
    expect(() => stateFromComments(comments, key, later.issue)).toThrow(UnreadableState);
  });

  it("newer, but replayed from another issue: passed over like any replay", () => {
    const replayed = rewritten(checkpoint(3, "blocker-api-1", blockedApi), {
      ...later,
      issue: later.issue + 1,
      version: stateVersion + 1,
    });
    expect(stateFromComments([dashboard(2, later), replayed], key, later.issue).state).toEqual(later);
    expect(
      stateFromComments(
        [app(2, `${dashboardMarker}\nedited`), replayed, checkpoint(4, "blocker-api-1", blockedApi)],
        key,
        later.issue,
      ).state,
    ).toEqual(blockedApi);
  });
});

describe("loadState", () => {
  it("reads every page of comments and trusts only the app's own (user type Bot)", async () => {
    const pageTwo = `https://api.github.com/repos/acme/app/issues/12/comments?per_page=100&page=2`;
    const first = Array.from({ length: 100 }, (_, i) => apiComment(i + 1, `comment ${i + 1}`, "alice", "User"));
    const api = githubApi()
      .get(`${repo}/issues/12/comments`)
      .query({ per_page: "100" })
      .reply(200, first, { link: `<${pageTwo}>; rel="next", <${pageTwo}>; rel="last"` })
      .get(`${repo}/issues/12/comments`)
      .query({ per_page: "100", page: "2" })
      .reply(200, [
        apiComment(
          201,
          dashboardBody(plan, { ...later, status: "done" }, "https://github.com/acme/app", key),
          "mallory",
          "User",
        ),
        apiComment(202, dashboardBody(plan, later, "https://github.com/acme/app", key)),
      ]);
    const loaded = await loadState(octokit(), where, key);
    api.done();
    expect(loaded.comments).toHaveLength(102);
    expect(loaded.dashboard?.id).toBe(202);
    expect(loaded.state).toEqual(later);
  });
});

describe("loadState after a restore", () => {
  const checkpointOnly = () =>
    githubApi()
      .get(`${repo}/issues/12/comments`)
      .query({ per_page: "100" })
      .reply(200, [apiComment(3, `### ⛔ Blocker\n\n${commentMarker("pause")}\n${encodeState(started, key)}`)]);

  it("is the snapshot as it was, with why it was used, from the comments alone: what GitHub records since is reconcileCoordination's to read", async () => {
    const api = checkpointOnly();
    const loaded = await loadState(octokit(), where, key);
    api.done();
    expect(loaded.restored).toBe("the dashboard is missing");
    expect(loaded.state).toEqual(started);
    expect(loaded.dashboard).toBeUndefined();
  });
});

describe("memoryLocks", () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it("runs work for one key one at a time, in order", async () => {
    const locks = memoryLocks();
    const log: string[] = [];
    let inside = 0;
    let most = 0;
    const work = (name: string) => async () => {
      inside += 1;
      most = Math.max(most, inside);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      inside -= 1;
      return name;
    };
    const results = await Promise.all(["a", "b", "c", "d"].map((name) => locks.withLock("acme/app#12", work(name))));
    expect(results).toEqual(["a", "b", "c", "d"]);
    expect(most).toBe(1);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c", "start d", "end d"]);
  });

  it("runs work for different keys at the same time", async () => {
    const locks = memoryLocks();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The first holds its lock until the second has run: with one lock for both, this never ends.
    const first = locks.withLock("acme/app#12", async () => {
      await released;
      return "first";
    });
    const second = locks.withLock("acme/app#13", async () => {
      release();
      return "second";
    });
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("the keys block each other")), 1_000));
    await expect(Promise.race([Promise.all([first, second]), timeout])).resolves.toEqual(["first", "second"]);
  });

  it("a failed step releases the lock for the next one", async () => {
    const locks = memoryLocks();
    const failing = locks.withLock("k", async () => {
      throw new Error("GitHub answered 502");
    });
    const next = locks.withLock("k", async () => "next");
    await expect(failing).rejects.toThrow("GitHub answered 502");
    await expect(next).resolves.toBe("next");
    // And the key can be taken again afterwards.
    await expect(locks.withLock("k", async () => "again")).resolves.toBe("again");
  });
});

describe("whose comments count", () => {
  it("a state block replayed from another issue is not this issue's state", () => {
    const other = { ...started, issue: started.issue + 1 };
    const loaded = stateFromComments([dashboard(2, other)], key, started.issue);
    expect(loaded.state).toBeUndefined();
    expect(stateFromComments([dashboard(2, started)], key, started.issue).state).toEqual(started);
  });

  it("another bot's comment carrying the dashboard marker is never taken as the dashboard", () => {
    const fake: Comment = {
      id: 9,
      body: `${dashboardMarker}\nnot the app`,
      author: "github-actions[bot]",
      bot: true,
      ...times(9),
    };
    const loaded = stateFromComments([fake, checkpoint(3, "blocker-api-1", blockedApi)], key, blockedApi.issue);
    expect(loaded.state).toEqual(blockedApi);
    expect(loaded.appLogin).toBe("parallel-coordinator[bot]");
    expect(loaded.dashboard).toBeUndefined();
  });
});
