import { describe, expect, it } from "vitest";
import { mirrorMarker, mirroredBatch } from "../../../src/github/stores/markers.js";

describe("the mirror's marker", () => {
  it("names the feature issue and the batch, whatever characters the batch's id holds", () => {
    for (const batch of ["api", "3", "setup database", "a/b-->c"]) {
      const body = `Batch 1 of 2 of #12.\n\n${mirrorMarker(12, batch)}`;
      expect(mirroredBatch(body)).toEqual({ issue: 12, batch });
    }
    expect(mirrorMarker(12, "a b")).toBe("<!-- parallel-coordinator:mirror 12 a%20b -->");
  });

  it("counts only on a line of its own, with a feature issue's number and a batch that decodes", () => {
    const marker = mirrorMarker(12, "api");
    expect(mirroredBatch(`quoted: ${marker}`)).toBeUndefined();
    expect(mirroredBatch(`> ${marker}`)).toBeUndefined();
    expect(mirroredBatch("<!-- parallel-coordinator:mirror 0 api -->")).toBeUndefined();
    expect(mirroredBatch("<!-- parallel-coordinator:mirror 12 %E0%A4%A -->")).toBeUndefined();
    expect(mirroredBatch("<!-- parallel-coordinator:mirror 12 api extra -->")).toBeUndefined();
    expect(mirroredBatch("")).toBeUndefined();
  });
});
