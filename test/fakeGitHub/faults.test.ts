/**
 * Faults injected into the fake GitHub, per route and per call: GitHub
 * erring (a 5xx, a secondary rate limit, a 429), carrying a request out and
 * losing its answer, taking its time, and losing a webhook.
 */
import { describe, expect, it } from "vitest";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { refusal, world } from "./support.js";

const shop = { owner: "acme", repo: "shop" };
const REPO = "GET /repos/{owner}/{repo}";
const COMMENT = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";

describe("faults in answers", () => {
  it("a status instead of GitHub's answer, on the calls of a route asked for: from the `call`th, `times` in a row", async () => {
    const { github, octokit } = world();
    const fault = github.faults.add({ route: REPO, status: 502, call: 2, times: 2 });
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      statuses.push(
        await octokit.rest.repos.get(shop).then(
          (answer) => answer.status,
          (error: { status: number }) => error.status,
        ),
      );
    }
    expect(statuses).toEqual([200, 502, 502, 200]);
    expect(fault.hits).toBe(2);
    expect(github.calls.map((call) => [call.route, call.status])).toEqual(statuses.map((status) => [REPO, status]));
    // Injected, not wrong: no problem is recorded.
    expect(github.problems).toEqual([]);
  });

  // "Rate limits for the REST API" (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit):
  // over a secondary rate limit GitHub answers 403 or 429; "If the retry-after response header is present, you should
  // not retry your request until after that many seconds has elapsed."
  it("a secondary rate limit, 403 or 429, with retry-after (60 seconds unless given) and GitHub's message", async () => {
    const { github, octokit } = world();
    github.faults.add({ route: REPO, status: 403 });
    github.faults.add({ route: REPO, status: 429, call: 2, headers: { "retry-after": "5" } });
    const first = (await octokit.rest.repos.get(shop).catch((error: unknown) => error)) as {
      status: number;
      response: { headers: Record<string, string>; data: { message: string } };
    };
    expect(first.status).toBe(403);
    expect(first.response.headers["retry-after"]).toBe("60");
    expect(first.response.data.message).toMatch(/secondary rate limit/);
    const second = (await octokit.rest.repos.get(shop).catch((error: unknown) => error)) as {
      status: number;
      response: { headers: Record<string, string> };
    };
    expect([second.status, second.response.headers["retry-after"]]).toEqual([429, "5"]);
  });

  it("a fault for one request's path, or for the requests whose body it picks", async () => {
    const { github, repo, octokit } = world();
    const issue = github.createIssue(repo, { title: "Feature", body: "", user: "maintainer" });
    github.faults.add({
      route: COMMENT,
      when: ({ body }) => JSON.stringify(body).includes("dashboard"),
      status: 500,
      times: Infinity,
    });
    github.faults.add({ route: "GET /repos/acme/shop/issues/1", status: 503 });
    expect(
      (await refusal(octokit.rest.issues.createComment({ ...shop, issue_number: issue.number, body: "the dashboard" })))
        .status,
    ).toBe(500);
    expect(
      (await octokit.rest.issues.createComment({ ...shop, issue_number: issue.number, body: "an answer" })).status,
    ).toBe(201);
    expect(
      (
        await refusal(
          octokit.rest.issues.createComment({ ...shop, issue_number: issue.number, body: "the dashboard again" }),
        )
      ).status,
    ).toBe(500);
    expect((await refusal(octokit.rest.issues.get({ ...shop, issue_number: issue.number }))).status).toBe(503);
    expect([...repo.comments.values()].map((comment) => comment.body)).toEqual(["an answer"]);
  });

  it("a request GitHub carried out before its answer was lost: done, and answered with the fault", async () => {
    const { github, repo, octokit } = world();
    const issue = github.createIssue(repo, { title: "Feature", body: "", user: "maintainer" });
    github.faults.add({ route: COMMENT, status: 502, carriedOut: true });
    expect(
      (await refusal(octokit.rest.issues.createComment({ ...shop, issue_number: issue.number, body: "posted" })))
        .status,
    ).toBe(502);
    expect([...repo.comments.values()].map((comment) => [comment.user, comment.body])).toEqual([[APP_LOGIN, "posted"]]);
  });

  it("latency: the answer comes after a wait, or after what people do meanwhile, as GitHub then stands", async () => {
    const { github, repo, octokit } = world();
    github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
    const head = github.commit(repo, "work", { "w.txt": "w\n" }, "w", ACTIONS_LOGIN).sha;
    github.createPull(repo, { head: "work", base: "main", title: "Work", body: "", user: ACTIONS_LOGIN });
    github.faults.add({ route: REPO, latency: 5 });
    expect((await octokit.rest.repos.get(shop)).status).toBe(200);
    // The merge is asked for with the head the app checked; a person pushes before GitHub answers.
    github.faults.add({
      route: "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
      latency: () => github.commit(repo, "work", { "late.txt": "late\n" }, "late", "maintainer"),
    });
    expect(await refusal(octokit.rest.pulls.merge({ ...shop, pull_number: 1, sha: head }))).toEqual({
      status: 409,
      message: "Head branch was modified. Review and try the merge again.",
    });
  });
});

describe("lost webhooks", () => {
  // "Handling failed webhook deliveries" (https://docs.github.com/webhooks/using-webhooks/handling-failed-webhook-deliveries):
  // "GitHub does not automatically redeliver failed deliveries"; "You can manually redeliver failed deliveries."
  it("a dropped delivery never arrives and is not sent again, until someone redelivers it by hand", () => {
    const { github, repo, sent } = world();
    const issue = github.createIssue(repo, { title: "Feature", body: "", user: "maintainer" });
    const drop = github.faults.dropWebhook({ event: "issue_comment.created", call: 2 });
    github.addComment(repo, issue.number, "maintainer", "/status");
    github.addComment(repo, issue.number, "maintainer", "/pause");
    github.addComment(repo, issue.number, "maintainer", "/resume");
    const comments = () =>
      sent.flatMap((delivery) => (delivery.name === "issue_comment" ? [delivery.payload.comment.body] : []));
    expect(comments()).toEqual(["/status", "/resume"]);
    expect(drop.hits).toBe(1);
    const lost = github.deliveries.find((entry) => entry.dropped)!;
    expect(github.redeliver(lost.delivery.id)).toBe(lost.delivery);
    expect(comments()).toEqual(["/status", "/resume", "/pause"]);
    expect(sent.at(-1)!.id).toBe(lost.delivery.id);
  });

  it("drops every action of an event, or one", () => {
    const { github, repo, sent } = world();
    github.faults.dropWebhook({ event: "issues", times: Infinity });
    const issue = github.createIssue(repo, {
      title: "Feature",
      body: "",
      user: "maintainer",
      labels: ["parallel-coordinator"],
    });
    github.addComment(repo, issue.number, "maintainer", "hello");
    expect(sent.map((delivery) => `${delivery.name}.${delivery.payload.action}`)).toEqual(["issue_comment.created"]);
    expect(
      github.deliveries
        .filter((entry) => entry.dropped)
        .map((entry) => `${entry.delivery.name}.${entry.delivery.payload.action}`),
    ).toEqual(["issues.opened", "issues.labeled"]);
  });
});
