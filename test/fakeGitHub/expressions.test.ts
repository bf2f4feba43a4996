/** GitHub Actions' expressions as the fake evaluates them ("Evaluate expressions in workflows and actions"). */
import { describe, expect, it } from "vitest";
import { condition, evaluate, interpolate } from "../../src/fakeGitHub/expressions.js";

const contexts = {
  github: {
    event_name: "issue_comment",
    event: {
      issue: { number: 7, labels: [{ name: "bug" }, { name: "Parallel-Coordinator" }], pull_request: null },
      comment: { body: "thanks\n/pause now", user: { type: "User" } },
    },
  },
  inputs: { issue: "12" },
};

describe("expressions", () => {
  it("read contexts by name, index and the object filter, property names case-insensitive", () => {
    expect(evaluate("github.event.issue.number", contexts)).toBe(7);
    expect(evaluate("github['event'].ISSUE.labels[1].name", contexts)).toBe("Parallel-Coordinator");
    expect(evaluate("github.event.issue.labels.*.name", contexts)).toEqual(["bug", "Parallel-Coordinator"]);
    expect(evaluate("github.event.missing.deeper", contexts)).toBeNull();
  });

  it("return an operand from || and &&, and compare loosely, strings case-insensitively", () => {
    expect(evaluate("github.event.pull_request.number || inputs.issue || 'none'", contexts)).toBe("12");
    expect(evaluate("inputs.issue && 'yes'", contexts)).toBe("yes");
    expect(evaluate("null && 'yes'", contexts)).toBeNull();
    expect(evaluate("'ABC' == 'abc'", contexts)).toBe(true);
    expect(evaluate("inputs.issue == 12", contexts)).toBe(true);
    expect(evaluate("!github.event.issue.pull_request && 2 > 1 && 1 <= 1", contexts)).toBe(true);
    expect(evaluate("(false || 0) == ''", contexts)).toBe(true);
    // The right side is evaluated only when it decides: a fromJSON it skips cannot fail.
    expect(evaluate("inputs.issue || fromJSON('not json')", contexts)).toBe("12");
    expect(evaluate("startsWith('x', '{') && fromJSON('x')", contexts)).toBe(false);
  });

  it("call the functions the workflows use", () => {
    expect(evaluate("contains(github.event.issue.labels.*.name, 'parallel-coordinator')", contexts)).toBe(true);
    expect(evaluate("contains(github.event.comment.body, format('{0}/', fromJSON('\"\\n\"')))", contexts)).toBe(true);
    expect(evaluate("startsWith(github.event.comment.body, '/')", contexts)).toBe(false);
    expect(evaluate(`format('{{"issue":{0},"key":"{1}"}}', inputs.issue, 'pc-12-api-1')`, contexts)).toBe(
      '{"issue":12,"key":"pc-12-api-1"}',
    );
    expect(evaluate(`fromJSON('{"issue":12}').issue`, contexts)).toBe(12);
    expect(evaluate("join(github.event.issue.labels.*.name, '+')", contexts)).toBe("bug+Parallel-Coordinator");
    expect(evaluate("'It''s'", contexts)).toBe("It's");
  });

  it("fill a template and decide an if:, with or without ${{ }}", () => {
    expect(
      interpolate("group-${{ github.event.issue.number || inputs.issue }}-${{ github.event_name }}", contexts),
    ).toBe("group-7-issue_comment");
    expect(interpolate(`\${{ format('{{"issue":{0}}}', inputs.issue) }} and \${{ '}}' }}`, contexts)).toBe(
      '{"issue":12} and }}',
    );
    expect(() => interpolate("${{ inputs.issue", contexts)).toThrow(/not closed/);
    expect(condition("${{ !cancelled() }}", contexts)).toBe(true);
    expect(condition("github.event_name == 'schedule'", contexts)).toBe(false);
  });

  it("refuse what GitHub refuses: an unknown context or function, bad JSON, a dangling operator", () => {
    expect(() => evaluate("secretz.x", contexts)).toThrow(/unknown context secretz/);
    expect(() => evaluate("nope()", contexts)).toThrow(/unknown function nope/);
    expect(() => evaluate("fromJSON('not json')", contexts)).toThrow();
    expect(() => evaluate("1 ==", contexts)).toThrow(/ends too soon/);
  });
});
