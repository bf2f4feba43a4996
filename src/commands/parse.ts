import { readEstimate } from "../plan/estimate.js";

/** The commands a comment can give, by their canonical name. */
export const commandNames = ["plan", "status", "pause", "resume", "retry", "skip", "approve", "abort", "help"] as const;
export type CommandName = (typeof commandNames)[number];

// The seed family's Ukrainian users' words.
const aliases: Record<string, CommandName> = { пауза: "pause", продовжити: "resume" };

/** What `/resume budget` adds to the budget: agent minutes, US dollars, or both. */
export interface BudgetRaise {
  minutes?: number;
  usd?: number;
}

export type Command =
  /** `split`: plan oversized tasks as their proposed parts (`/plan split`). */
  | { name: "plan"; force: boolean; split?: true }
  | { name: "status" | "abort" | "help" }
  /**
   * `checkpoint`: the comment id of the checkpoint named (`/resume @<link>`), the seed's `/resume @path`;
   * `raise`: what `/resume budget +60m` adds to the budget.
   */
  | { name: "resume"; checkpoint?: number; raise?: BudgetRaise }
  | { name: "pause"; reason?: string }
  | { name: "retry" | "skip"; batch: string }
  /** `sha`: the head of the batch's pull request the person approves, when not the one its check-in judged. */
  | { name: "approve"; batch: string; sha?: string };

export type Parsed = { ok: true; command: Command } | { ok: false; error: string } | undefined;

/**
 * The command in a comment, if any: the first line that starts with `/name`,
 * once code (fenced or indented), block quotes and HTML comments are removed,
 * so that quoting or showing a command never gives it. Undefined when the
 * comment holds no command; an error for an unknown command or bad arguments.
 */
export function parseCommand(body: string): Parsed {
  for (const line of commandLines(body)) {
    const match = /^\/([\p{L}-]+)(?:[ \t]+(.*))?$/u.exec(line.trim());
    if (match === null) continue;
    const word = match[1]!.toLowerCase();
    const name = (commandNames as readonly string[]).includes(word) ? (word as CommandName) : aliases[word];
    const rest = (match[2] ?? "").trim();
    if (name === undefined) return { ok: false, error: `\`/${word}\` is not a command` };
    return withArguments(name, rest);
  }
  return undefined;
}

function withArguments(name: CommandName, rest: string): Parsed {
  switch (name) {
    case "pause":
      return { ok: true, command: rest === "" ? { name } : { name, reason: rest.slice(0, 500) } };
    case "retry":
    case "skip": {
      const batch = /^#?([\w.-]{1,64})$/.exec(rest)?.[1];
      return batch === undefined
        ? { ok: false, error: `\`/${name}\` needs one batch, by its number on the checklist or its id: \`/${name} 3\`` }
        : { ok: true, command: { name, batch } };
    }
    case "approve": {
      const match = /^#?([\w.-]{1,64})(?:\s+(\S+))?$/.exec(rest);
      if (match === null)
        return {
          ok: false,
          error:
            "`/approve` needs one batch, by its number on the checklist or its id, and may name the head it approves: `/approve 3`, `/approve 3 <commit SHA>`",
        };
      const [, batch, sha] = match as unknown as [string, string, string | undefined];
      if (sha === undefined) return { ok: true, command: { name, batch } };
      // GitHub's merge takes the head's full SHA only.
      if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(sha))
        return {
          ok: false,
          error: `\`/approve\` names the head it approves by its full commit SHA (40 hex digits), not \`${sha.slice(0, 80).replace(/`/g, "")}\``,
        };
      return { ok: true, command: { name, batch, sha: sha.toLowerCase() } };
    }
    case "resume": {
      if (rest === "") return { ok: true, command: { name } };
      const checkpoint = checkpointRef(rest);
      if (checkpoint !== undefined) return { ok: true, command: { name, checkpoint } };
      const raise = budgetRaise(rest);
      return raise === undefined
        ? {
            ok: false,
            error:
              "`/resume` takes nothing, one of this issue's checkpoint comments, by its link or id (`/resume @https://github.com/owner/repo/issues/7#issuecomment-123`), or `budget` and what to add to it (`/resume budget +60m`, `/resume budget +$5`, or both)",
          }
        : { ok: true, command: { name, raise } };
    }
    case "plan": {
      const words = rest === "" ? [] : rest.split(/\s+/u);
      if (words.some((word) => word !== "--force" && word !== "split") || new Set(words).size < words.length) {
        return {
          ok: false,
          error:
            "`/plan` takes nothing, `split` to plan oversized tasks as the parts proposed, or `--force` to plan an epic anyway",
        };
      }
      return {
        ok: true,
        command: {
          name,
          force: words.includes("--force"),
          ...(words.includes("split") ? { split: true as const } : {}),
        },
      };
    }
    default:
      return rest === "" ? { ok: true, command: { name } } : { ok: false, error: `\`/${name}\` takes no arguments` };
  }
}

/** `budget +60m`, `budget +1h +$5`: each amount once, each added; undefined when it is anything else. */
function budgetRaise(text: string): BudgetRaise | undefined {
  const [word, ...amounts] = text.split(/\s+/);
  if (word?.toLowerCase() !== "budget" || amounts.length === 0 || amounts.length > 2) return undefined;
  const raise: BudgetRaise = {};
  for (const amount of amounts) {
    const usd = /^\+(?:\$(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:\$|usd))$/i.exec(amount);
    if (usd !== null) {
      if (raise.usd !== undefined) return undefined;
      raise.usd = Number(usd[1] ?? usd[2]);
      continue;
    }
    const minutes = /^\+\d/.test(amount) ? readEstimate(amount.slice(1)) : undefined;
    if (minutes?.ok !== true || raise.minutes !== undefined) return undefined;
    raise.minutes = minutes.minutes;
  }
  return (raise.usd ?? 1) > 0 ? raise : undefined;
}

/** A comment named by its link (`…#issuecomment-123`, `@` before it or not) or its id (`@123`, `123`). */
function checkpointRef(text: string): number | undefined {
  const ref = text.replace(/^@/u, "").replace(/^<(.*)>$/u, "$1");
  const id = /^(?:https?:\/\/\S*)?#issuecomment-(\d{1,16})$/u.exec(ref)?.[1] ?? /^(\d{1,16})$/u.exec(ref)?.[1];
  return id === undefined ? undefined : Number(id);
}

/** The lines of a comment that can hold a command. */
function commandLines(body: string): string[] {
  const text = body.replace(/\r\n?/g, "\n").replace(/<!--[\s\S]*?(?:-->|$)/g, "");
  const lines: string[] = [];
  let fence: string | undefined;
  let previousBlank = true;
  for (const line of text.split("\n")) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (
        opening !== null &&
        opening[1]![0] === fence[0] &&
        opening[1]!.length >= fence.length &&
        line.trim() === opening[1]
      )
        fence = undefined;
      continue;
    }
    if (opening !== null) {
      fence = opening[1]!;
      continue;
    }
    const indentedCode = previousBlank && /^( {4}|\t)/.test(line);
    previousBlank = line.trim() === "";
    if (indentedCode || /^ {0,3}>/.test(line)) continue;
    lines.push(line);
  }
  return lines;
}
