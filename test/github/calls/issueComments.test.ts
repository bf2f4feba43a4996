import { describe, expect, it } from "vitest";
import { ensureComment } from "../../../src/github/calls/issueComments.js";
import { commentMarker } from "../../../src/github/stores/markers.js";
import type { Comment } from "../../../src/github/calls/githubTypes.js";
import { githubApi, useGitHubApi } from "../../helpers/github.js";
import { apiComment, octokit, repo, where } from "../support.js";

useGitHubApi();

describe("ensureComment", () => {
  const marker = commentMarker("finish");

  it("finds the app's own earlier comment by its marker and posts nothing", async () => {
    const existing: Comment[] = [
      {
        id: 5,
        body: `done\n\n${marker}`,
        author: "parallel-coordinator[bot]",
        bot: true,
        createdAt: "2026-01-05T09:00:00Z",
        updatedAt: "2026-01-05T09:00:00Z",
      },
    ];
    const found = await ensureComment(
      octokit(),
      where,
      existing,
      marker,
      `done\n\n${marker}`,
      "parallel-coordinator[bot]",
    );
    expect(found.id).toBe(5);
  });

  it("is not silenced by another bot (a workflow's github-actions[bot]) posting the same marker", async () => {
    const existing: Comment[] = [
      {
        id: 6,
        body: `fake\n\n${marker}`,
        author: "github-actions[bot]",
        bot: true,
        createdAt: "2026-01-05T09:00:00Z",
        updatedAt: "2026-01-05T09:00:00Z",
      },
    ];
    const api = githubApi()
      .post(`${repo}/issues/12/comments`)
      .reply(201, apiComment(7, `done\n\n${marker}`));
    const posted = await ensureComment(
      octokit(),
      where,
      existing,
      marker,
      `done\n\n${marker}`,
      "parallel-coordinator[bot]",
    );
    api.done();
    expect(posted.id).toBe(7);
  });
});
