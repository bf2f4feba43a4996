import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/base/config.js";
import { planRequested } from "../../src/schedule/planRequest.js";
import { largestOrdinaryBody } from "../fixtures/untrustedBodies.js";

describe("planning an issue's body", () => {
  it("plans a body of GitHub's largest size, and refuses a longer one, saying how long it is", () => {
    const body = largestOrdinaryBody();
    expect(planRequested({ body, config: defaultConfig, force: false }).ok).toBe(true);
    expect(planRequested({ body: `${body}.`, config: defaultConfig, force: false })).toEqual({
      ok: false,
      problems: [
        { message: `the issue's body is 65,537 characters long; at most 65,536 are planned (GitHub's limit)` },
      ],
    });
  });
});
