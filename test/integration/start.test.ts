import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { githubApi, useGitHubApi } from "../helpers/github.js";
import { payload, testProbot, stateSecret } from "./appHarness.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import { createHash } from "node:crypto";
import { deliver, useWorlds } from "./world.js";
import { BODY, at, feature } from "./feature.js";

useGitHubApi();
useWorlds();

const body = readFileSync(new URL("../../examples/notifications.md", import.meta.url), "utf8");
const repo = "/repos/Codertocat/Hello-World";

const labeled = (label = "parallel-coordinator", text = body) =>
  payload("issues", "labeled", (value) => {
    value.label.name = label;
    value.issue.body = text;
    value.issue.labels = [{ ...value.label, name: label }];
  });

describe("a labelled feature issue", () => {
  it("starts: the dashboard with the plan, then the integration branch, one dispatch per ready domain, then the dashboard holding the state", async () => {
    const probot = testProbot();
    const dispatched: Array<{ ref: string; inputs: Record<string, string> }> = [];
    let acknowledged = "";
    let dashboard = "";
    const api = githubApi()
      .post("/app/installations/2/access_tokens")
      .reply(201, { token: "t", expires_at: "2030-01-01T00:00:00Z" })
      .get(`${repo}/contents/.github%2Fparallel-coordinator.yml`)
      .reply(404)
      .get("/repos/Codertocat/.github/contents/.github%2Fparallel-coordinator.yml")
      .reply(404)
      .get(`${repo}/collaborators/Codertocat/permission`)
      .reply(200, { permission: "admin", role_name: "admin", user: { login: "Codertocat" } })
      .get(`${repo}/issues/1/comments?per_page=100`)
      .reply(200, [])
      .get(`${repo}/git/ref/heads%2Fmaster`)
      .reply(200, { ref: "refs/heads/master", object: { sha: "base-sha", type: "commit" } })
      .post(`${repo}/issues/1/comments`, (b) => {
        acknowledged = b.body;
        return true;
      })
      .reply(201, { id: 77, body: "", user: { login: "parallel-coordinator[bot]", type: "Bot" } })
      .post(`${repo}/git/refs`, { ref: "refs/heads/parallel-coordinator/1", sha: "base-sha" })
      .reply(201, {})
      .post(`${repo}/git/refs`, { ref: "refs/heads/parallel-coordinator/1-fastapi-backend-expert", sha: "base-sha" })
      .reply(201, {})
      .post(`${repo}/actions/workflows/parallel-coordinator-agent.yml/dispatches`, (b) => {
        dispatched.push(b);
        return b.return_run_details === true;
      })
      .reply(200, () => ({
        workflow_run_id: 1000 + dispatched.length,
        run_url: "https://api.github.com/x",
        html_url: "https://github.com/x",
      }))
      .patch(`${repo}/issues/comments/77`, (b) => {
        dashboard = b.body;
        return true;
      })
      .reply(200, { id: 77, body: "" });

    await probot.receive({ id: "d1", name: "issues", payload: labeled() } as never);
    api.done();
    // Only batch 1 is ready: 2 needs it, 3 waits for it (it owns the shared types), 4–6 need others.
    expect(dispatched.map((d) => [d.ref, d.inputs.batch, d.inputs.key, d.inputs.base])).toEqual([
      ["parallel-coordinator/1-fastapi-backend-expert", "1", "pc-1-1-1", "parallel-coordinator/1"],
    ]);
    expect(JSON.parse(dispatched[0]!.inputs.scope!)).toEqual({
      allow: ["backend/app/models/notification.py", "backend/alembic/versions/**", "shared/types/notification.ts"],
      deny: expect.arrayContaining(["frontend/src/components/NotificationBell.tsx", "tests/e2e/test_notifications.py"]),
    });
    expect(dispatched[0]!.inputs.brief).toContain("**Batch**: 1 of 6");
    expect(Object.keys(dispatched[0]!.inputs).sort()).toEqual([
      "attempt",
      "base",
      "batch",
      "brief",
      "issue",
      "key",
      "scope",
    ]);
    // The plan shows before any branch or dispatch write: planned, nothing dispatched.
    expect(acknowledged).toContain("- [ ] **1.** Notification model and migration");
    const first = decodeState(acknowledged, stateKey(stateSecret));
    expect(first.ok && first.state.status).toBe("planned");
    expect(dashboard).toContain("- [ ] **1.** Notification model and migration");
    const decoded = decodeState(dashboard, stateKey(stateSecret));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.state.status).toBe("running");
  });

  it("whose state would outgrow the dashboard comment is refused at the start, saying why: nothing is started", async () => {
    // Pasted logs in the plan's context: text that does not compress, which the state keeps with the plan.
    let logs = "";
    for (let n = 0; logs.length < 60_000; n += 1) logs += createHash("sha256").update(String(n)).digest("base64");
    const world = feature({ body: BODY.replace("```yaml\n", `\`\`\`yaml\ncontext: "${logs.slice(0, 60_000)}"\n`) });
    await deliver(world.probot(), world.labeled(at(0)));
    expect(world.dispatches()).toEqual([]);
    expect([...world.branches().keys()]).toEqual(["master"]);
    expect(world.dashboard()).toBeUndefined();
    expect(world.comments()).toHaveLength(1);
    expect(world.comments()[0]!.body).toContain("### ⚠ parallel-coordinator cannot start");
    expect(world.comments()[0]!.body).toMatch(
      /the dashboard would be [\d,]+ characters\. GitHub holds at most 65,536 in a comment/,
    );
  });
});
