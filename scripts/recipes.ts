// The agent recipes of templates/RECIPES.md, read from the document itself,
// and the check of a recipe's command line against its CLI's `--help`.
// Nothing here installs or runs anything: scripts/check-recipes.ts does.
import yaml from "js-yaml";
import type { RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString } from "mdast-util-to-string";

export interface Recipe {
  /** The section's heading. */
  name: string;
  /** The runner step's `agent:` input. */
  agent: string;
  /** From the step `npm install -g <name>@<version>`. */
  npm?: { name: string; version: string };
  /** `node-version` of the `actions/setup-node` step. */
  nodeVersion?: string;
  /** The `run:` steps before the runner step. */
  runs: string[];
  /** Why the recipe is not checked, from its "Unverified" paragraph. */
  unverified?: string;
}

interface Step {
  uses?: unknown;
  run?: unknown;
  with?: Record<string, unknown>;
}

/** The recipes: each `##` section with a YAML block of workflow steps. */
export function readRecipes(markdown: string): Recipe[] {
  const recipes: Recipe[] = [];
  let name: string | undefined;
  let unverified: string | undefined;
  let recipe: Recipe | undefined;
  const finish = () => {
    if (recipe !== undefined) recipes.push(unverified === undefined ? recipe : { ...recipe, unverified });
    recipe = undefined;
    unverified = undefined;
  };
  for (const node of fromMarkdown(markdown).children as RootContent[]) {
    if (node.type === "heading" && node.depth <= 2) {
      finish();
      name = node.depth === 2 ? toString(node) : undefined;
    } else if (name !== undefined && node.type === "code" && node.lang === "yaml" && recipe === undefined) {
      const steps = yaml.load(node.value);
      if (!Array.isArray(steps)) throw new Error(`RECIPES.md, ${name}: the YAML block is not a list of steps`);
      recipe = { name, ...readSteps(steps as Step[], `RECIPES.md, ${name}`) };
    } else if (
      name !== undefined &&
      (node.type === "paragraph" || node.type === "blockquote") &&
      /^Unverified\b/.test(toString(node))
    ) {
      unverified = toString(node).replace(/\s+/g, " ");
    }
  }
  finish();
  return recipes;
}

function readSteps(steps: Step[], where: string): Omit<Recipe, "name"> {
  const runner = steps.findIndex((step) => typeof step.with?.agent === "string");
  if (runner < 0) throw new Error(`${where}: no step has an \`agent:\` input`);
  const before = steps.slice(0, runner);
  const runs = before.flatMap((step) => (typeof step.run === "string" ? [step.run] : []));
  const spec = runs
    .flatMap((run) => run.split("\n"))
    .map((line) => /^npm install -g (\S+)$/.exec(line.trim())?.[1])
    .find((found) => found !== undefined);
  const at = spec?.lastIndexOf("@") ?? -1;
  const npm =
    spec === undefined
      ? undefined
      : at > 0
        ? { name: spec.slice(0, at), version: spec.slice(at + 1) }
        : { name: spec, version: "" };
  const node = before.find((step) => typeof step.uses === "string" && step.uses.startsWith("actions/setup-node@"))
    ?.with?.["node-version"];
  return {
    agent: steps[runner]!.with!.agent as string,
    runs,
    ...(npm === undefined ? {} : { npm }),
    ...(node === undefined ? {} : { nodeVersion: String(node) }),
  };
}

/** What is wrong with a recipe without running anything. */
export function recipeProblems(recipe: Recipe): string[] {
  const problems: string[] = [];
  const name = recipe.name;
  // A script of the repository's own reads the brief itself; an installed CLI is handed it.
  if (recipe.runs.length > 0 && !recipe.agent.includes("$PARALLEL_COORDINATOR_BRIEF")) {
    problems.push(`${name}: \`agent:\` never hands the CLI $PARALLEL_COORDINATOR_BRIEF`);
  }
  if (recipe.npm !== undefined) {
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(recipe.npm.version)) {
      problems.push(
        `${name}: install ${recipe.npm.name} at an exact version (npm install -g ${recipe.npm.name}@x.y.z), not "${recipe.npm.version || "latest"}"`,
      );
    }
    // The runner image's own Node moves with the image; the CLI's engines do not.
    if (recipe.nodeVersion === undefined || !/^\d+$/.test(recipe.nodeVersion)) {
      problems.push(
        `${name}: set up Node with actions/setup-node and a major \`node-version\` (found ${recipe.nodeVersion ?? "none"})`,
      );
    }
    if (recipe.unverified !== undefined)
      problems.push(`${name}: installs from npm, so it is checked: drop its "Unverified" paragraph`);
  } else if (recipe.runs.length > 0 && recipe.unverified === undefined) {
    problems.push(
      `${name}: installs its CLI other than with \`npm install -g\`, which this check cannot follow: say why in an "Unverified" paragraph`,
    );
  }
  return problems;
}

/**
 * The README's recipe lines (the list after "**Recipes** for `agent:`"): each
 * names a recipe of RECIPES.md and shows its `agent:`, whole or one of its lines.
 */
export function readmeProblems(readme: string, recipes: readonly Recipe[]): string[] {
  const lines = readme.split("\n");
  const start = lines.findIndex((line) => line.startsWith("**Recipes** for `agent:`"));
  if (start < 0) return ['README.md: no "**Recipes** for `agent:`" list'];
  const problems: string[] = [];
  let i = start + 1;
  while (lines[i]?.trim() === "") i += 1;
  for (; lines[i]?.startsWith("- ") === true; i += 1) {
    const match = /^- (.+?): `([^`]+)`/.exec(lines[i]!);
    const recipe = recipes.find((candidate) => candidate.name === match?.[1]);
    if (match === null || recipe === undefined) {
      problems.push(`README.md:${i + 1}: names no recipe of RECIPES.md`);
      continue;
    }
    const shown = oneLine(match[2]!);
    if (shown !== oneLine(recipe.agent) && !recipe.agent.split("\n").some((line) => oneLine(line) === shown)) {
      problems.push(
        `README.md:${i + 1}: ${recipe.name} differs from RECIPES.md's \`agent:\` (${oneLine(recipe.agent)})`,
      );
    }
  }
  return problems;
}

/** The agent workflow template installs and runs its agent as the recipe for the same package does. */
export function templateProblems(workflow: string, recipes: readonly Recipe[]): string[] {
  const jobs = (yaml.load(workflow) as { jobs: Record<string, { steps?: Step[] }> }).jobs;
  const steps = Object.values(jobs).find((job) =>
    job.steps?.some((step) => typeof step.with?.agent === "string"),
  )?.steps;
  if (steps === undefined) return ["the template: no step has an `agent:` input"];
  const used = readSteps(steps, "the template");
  const recipe = recipes.find((candidate) => candidate.npm !== undefined && candidate.npm.name === used.npm?.name);
  if (recipe === undefined)
    return [`the template: installs ${used.npm?.name ?? "nothing"} with npm, as no recipe of RECIPES.md does`];
  const problems: string[] = [];
  const differs = (what: string, template: string | undefined, recipes: string | undefined) => {
    if (template !== recipes)
      problems.push(
        `the template's ${what} (${template ?? "none"}) differs from RECIPES.md's ${recipe.name} (${recipes ?? "none"})`,
      );
  };
  differs("pinned version", used.npm?.version, recipe.npm?.version);
  differs("node-version", used.nodeVersion, recipe.nodeVersion);
  differs("`agent:`", used.agent, recipe.agent);
  return problems;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The simple commands of a bash script, each as its words with the quotes
 * removed; a command substitution stays as written. Enough for a recipe's
 * `agent:`: anything else (redirections, subshells, backquotes) is refused,
 * so that the check never reads a command line other than bash would.
 */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === "\\") {
      if (script[i + 1] !== "\n") word = (word ?? "") + (script[i + 1] ?? "");
      i += 2;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${script}`);
      word = (word ?? "") + script.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      const [text, end] = readDoubleQuoted(script, i + 1);
      word = (word ?? "") + text;
      i = end + 1;
    } else if (c === "$" && script[i + 1] === "(") {
      const end = closingParenthesis(script, i + 2);
      word = (word ?? "") + script.slice(i, end + 1);
      i = end + 1;
    } else if (c === "#" && word === undefined) {
      while (i < script.length && script[i] !== "\n") i += 1;
    } else if (c === " " || c === "\t") {
      endWord();
      i += 1;
    } else if ("\n;|&".includes(c)) {
      endCommand();
      i += 1;
    } else if ("<>()`".includes(c)) {
      throw new Error(`the recipe check does not read "${c}" in: ${script}`);
    } else {
      word = (word ?? "") + c;
      i += 1;
    }
  }
  endCommand();
  return commands;
}

/** The text of a "…" string starting at `start`, and the index of its closing quote. */
function readDoubleQuoted(script: string, start: number): [string, number] {
  let text = "";
  let i = start;
  while (i < script.length) {
    const c = script[i]!;
    if (c === '"') return [text, i];
    if (c === "\\" && '$`"\\\n'.includes(script[i + 1] ?? "")) {
      if (script[i + 1] !== "\n") text += script[i + 1];
      i += 2;
    } else if (c === "$" && script[i + 1] === "(") {
      const end = closingParenthesis(script, i + 2);
      text += script.slice(i, end + 1);
      i = end + 1;
    } else {
      text += c;
      i += 1;
    }
  }
  throw new Error(`unterminated " in: ${script}`);
}

/** The index of the `)` closing a `$(` whose contents start at `start`. */
function closingParenthesis(script: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < script.length) {
    const c = script[i]!;
    if (c === "'") {
      i = script.indexOf("'", i + 1);
      if (i < 0) break;
    } else if (c === '"') {
      i = readDoubleQuoted(script, i + 1)[1];
    } else if (c === "\\") {
      i += 1;
    } else if (c === "(") {
      depth += 1;
    } else if (c === ")" && --depth === 0) {
      return i;
    }
    i += 1;
  }
  throw new Error(`unterminated $( in: ${script}`);
}

export interface HelpOption {
  /** How many words it takes: none, one, one if the next is no option, or all up to the next option. */
  takes: "none" | "one" | "optional" | "many";
  choices?: string[];
}

export interface Help {
  /** Every spelling (`-p`, `--print`) of every option. */
  options: Map<string, HelpOption>;
  /** The subcommands and their aliases. */
  commands: Set<string>;
}

/**
 * Reads a `--help` text as commander (Claude Code), clap (Codex) and yargs
 * (Gemini CLI) print it: an option line starts with its spellings, indented
 * at most 6 columns (descriptions are indented further); a subcommand line is
 * indented 2 columns under a "Commands:" heading.
 */
export function parseHelp(text: string, bin: string): Help {
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\u001b\[[0-9;]*m/g, "").split("\n");
  const options = new Map<string, HelpOption>();
  const commands = new Set<string>();
  let section = "";
  let block: { names: string[]; placeholder: string; text: string[] } | undefined;
  const endBlock = () => {
    if (block === undefined) return;
    const option = readOption(block.placeholder, block.text.join("\n"));
    for (const name of block.names) options.set(name, option);
    block = undefined;
  };
  for (const line of lines) {
    const option = /^ {1,6}(-{1,2}\w[\w-]*(?:, ?-{1,2}\w[\w-]*)*)(.*)$/.exec(line);
    if (/^\S/.test(line)) {
      endBlock();
      section = line.trim();
    } else if (option !== null) {
      endBlock();
      const placeholder = /^[ =](<[^>]*>(?:\.\.\.)?|\[[^\]]*\](?:\.\.\.)?)/.exec(option[2]!)?.[1] ?? "";
      block = { names: option[1]!.split(/, ?/), placeholder, text: [option[2]!] };
    } else if (block !== undefined) {
      block.text.push(line);
    } else if (section.startsWith("Commands") && /^ {2}\S/.test(line)) {
      const [first, second] = line.trim().split(/\s+/);
      // yargs writes each subcommand after the program's name.
      const command = first === bin && second !== undefined ? second : first!;
      if (!/^[[<]/.test(command)) for (const name of command.split("|")) commands.add(name);
      for (const alias of /\[aliases: ([^\]]*)\]/.exec(line)?.[1]?.split(/, */) ?? []) commands.add(alias);
    }
  }
  endBlock();
  return { options, commands };
}

function readOption(placeholder: string, description: string): HelpOption {
  const takes: HelpOption["takes"] = placeholder.startsWith("<")
    ? placeholder.includes("...")
      ? "many"
      : "one"
    : placeholder.startsWith("[")
      ? "optional"
      : // yargs gives the type at the end of the description instead.
        (({ string: "one", number: "one", array: "many" } as const)[
          /\[(string|number|array|boolean|count)\]/.exec(description)?.[1] ?? ""
        ] ?? "none");
  // commander: (choices: "a", "b", default: "a"); yargs: [choices: "a", "b"];
  // clap: [possible values: a, b], or a "Possible values:" list of "- a: …" lines.
  const quoted = /\(choices: ([^)]*)\)|\[choices: ([^\]]*)\]/.exec(description);
  const listed = /\[possible values: ([^\]]*)\]/.exec(description)?.[1];
  const long = description.split("Possible values:")[1];
  const choices =
    quoted !== null
      ? [...(quoted[1] ?? quoted[2]!).split(/,\s*default:/)[0]!.matchAll(/"([^"]*)"/g)].map((match) => match[1]!)
      : listed !== undefined
        ? listed.split(",").map((value) => value.trim())
        : long !== undefined
          ? [...long.matchAll(/^\s+- ([^\s:]+):/gm)].map((match) => match[1]!)
          : undefined;
  return choices === undefined ? { takes } : { takes, choices };
}

/** One use of a CLI in a recipe: the subcommands and the options it names. */
export interface Use {
  path: string[];
  options: string[];
}

/**
 * Walks a command's words as the CLI would parse them: a word naming a
 * subcommand (before any positional argument) moves to that subcommand's help,
 * and a bare word that names none is reported;
 * every option must be in the help of where it stands, and a value given to an
 * option that lists its choices must be one of them (a value that bash expands
 * is not known here, so not checked).
 */
export async function checkUse(
  words: readonly string[],
  helpFor: (path: string[]) => Promise<Help>,
): Promise<{ use: Use; problems: string[] }> {
  const path: string[] = [];
  const use: Use = { path, options: [] };
  const problems: string[] = [];
  const where = () => [words[0], ...path].join(" ");
  let help = await helpFor([]);
  let positional = false;
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i]!;
    if (word === "--") break;
    if (word.startsWith("-") && word !== "-") {
      const equals = word.startsWith("--") ? word.indexOf("=") : -1;
      const name = equals < 0 ? word : word.slice(0, equals);
      const option = help.options.get(name);
      if (option === undefined) {
        problems.push(`\`${where()}\` has no option ${name}`);
        continue;
      }
      const values: string[] = [];
      if (equals >= 0) values.push(word.slice(equals + 1));
      else if (option.takes === "one") {
        if (i + 1 < words.length) values.push(words[++i]!);
        else problems.push(`\`${where()} ${name}\` needs a value`);
      } else if (option.takes !== "none") {
        while (
          i + 1 < words.length &&
          !words[i + 1]!.startsWith("-") &&
          (option.takes === "many" || values.length === 0)
        )
          values.push(words[++i]!);
      }
      use.options.push([name, ...values.filter((value) => !value.includes("$"))].join(" "));
      for (const value of values) {
        if (option.choices !== undefined && !value.includes("$") && !option.choices.includes(value)) {
          problems.push(`\`${where()} ${name}\` takes ${option.choices.join(", ")}: not ${value}`);
        }
      }
    } else if (!positional && help.commands.has(word)) {
      path.push(word);
      help = await helpFor([...path]);
    } else {
      // A recipe hands its prompt over as "$(…)": a bare word there is a
      // subcommand the CLI does not have, which it would take for the prompt.
      if (!positional && help.commands.size > 0 && /^[a-z][\w-]*$/.test(word))
        problems.push(`\`${where()}\` has no subcommand ${word}`);
      positional = true;
    }
  }
  return { use, problems };
}
