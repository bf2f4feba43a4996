import { describe, expect, it } from "vitest";
import { mirrorBody, mirrorTitle, renderMirrorMessage } from "../../src/render/mirrorIssue.js";
import { mirrorOf, type MirrorMessage } from "../../src/state/mirror.js";
import { running } from "../state/support.js";

const batch = { number: 4, title: "Notification bell", domain: "frontend" };

describe("what the mirror writes", () => {
  it("titles a batch's sub-issue as its pull request is titled, its body once, and each message", async () => {
    const { plan, state } = running();
    const ui = mirrorOf(plan, state)[3]!;
    expect(mirrorTitle(12, ui)).toBe("[#12] Batch 4 of 4: Notification bell");
    expect(mirrorTitle(12, { ...ui, name: { ...ui.name, title: "x".repeat(300) } }).length).toBeLessThan(256);
    const messages: Record<string, MirrorMessage> = {
      "A maintainer closed a batch's sub-issue (on the feature issue)": {
        kind: "mirrorClosed",
        by: "alice",
        subIssue: 40,
        batch,
      },
      "Someone who may not command closed one (on the sub-issue)": {
        kind: "mirrorCloseRefused",
        by: "mallory",
        issue: 12,
        batch,
        permission: "write",
      },
      "A plan of 101 batches": { kind: "mirrorTooMany", needed: 101, room: 100, others: 0 },
      "GitHub refused a change of the mirror": {
        kind: "mirrorRefused",
        status: 422,
        message: "Validation Failed (Parent cannot have more than 100 sub-issues)",
      },
    };
    const text = [
      "# The sub-issue's body",
      "",
      mirrorBody(12, ui, "write"),
      ...Object.entries(messages).flatMap(([title, message]) => ["", `# ${title}`, "", renderMirrorMessage(message)]),
      "",
    ].join("\n");
    await expect(text).toMatchFileSnapshot("../fixtures/comments/mirror-messages.md");
  });

  it("keeps a batch's title and a refusal's words from becoming Markdown or a mention", () => {
    const { plan, state } = running();
    const ui = mirrorOf(plan, state)[3]!;
    const body = mirrorBody(12, { ...ui, name: { ...ui.name, title: "<!-- x --> @everyone **bold**" } }, "write");
    expect(body).not.toMatch(/(^|[^\\])<!--/);
    expect(body).not.toMatch(/(^|[^\u2060])@everyone/);
    const refused = renderMirrorMessage({ kind: "mirrorRefused", status: 422, message: "<img src=x> @team" });
    expect(refused).not.toMatch(/(^|[^\\])<img/);
    expect(refused).not.toMatch(/(^|[^\u2060])@team/);
  });
});
