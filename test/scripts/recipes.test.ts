import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkUse,
  parseHelp,
  readmeProblems,
  readRecipes,
  recipeProblems,
  shellCommands,
  templateProblems,
} from "../../scripts/recipes.js";
import type { Help } from "../../scripts/recipes.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

// Excerpts of the real --help texts: commander (Claude Code 2.1.332), clap
// (Codex 0.171.0) and yargs (Gemini CLI 0.61.0).
const claude = `Usage: claude [options] [command] [prompt]

Options:
  --allowedTools, --allowed-tools <tools...>
      Comma or space-separated list of tool names to allow (e.g. "Bash(git *)
      Edit")
  -d, --debug [filter]                  Enable debug mode with optional category
                                        filtering (e.g., --debug=hooks,mcp or
                                        --debug='!hooks,!mcp')
  --permission-mode <mode>              Permission mode to use for the session
                                        (choices: "acceptEdits", "auto",
                                        "bypassPermissions", "manual",
                                        "dontAsk", "plan")
  --permission-prompts <target>         Who answers permission prompts with
                                        (choices: "host", "none", default:
                                        "host")
  -p, --print                           Print response and exit (useful for
                                        pipes).

Commands:
  agents [options]                      Manage background agents
  plugin|plugins                        Manage Claude Code plugins
  stop|kill <id>                        Stop a background session. Its
                                        conversation is kept
`;

const codex = `Usage: codex [OPTIONS] [PROMPT]

Commands:
  exec              Run Codex non-interactively [aliases: e]
  login             Manage login

Options:
  -s, --sandbox <SANDBOX_MODE>
          Select the sandbox policy to use when executing model-generated shell commands
          
          [possible values: read-only, workspace-write, danger-full-access]

  -a, --ask-for-approval <APPROVAL_POLICY>
          Configure when the model requires human approval before executing a command

          Possible values:
          - on-request: The model decides when to ask the user for approval
          - never:      Never ask for user approval Execution failures are immediately returned to
            the model

  -i, --image <FILE>...
          Optional image(s) to attach to the initial prompt

      --search
          Enable live web search
`;

const gemini = `Usage: gemini [options] [command]

Commands:
  gemini mcp                   Manage MCP servers
  gemini extensions <command>  Manage Gemini CLI extensions.  [aliases: extension]
  gemini [query..]             Launch Gemini CLI  [default]

Options:
  -p, --prompt                    Run in non-interactive (headless) mode with the given prompt.  [string]
      --skip-trust                Trust the current workspace for this session.  [boolean] [default: false]
      --approval-mode             Set the approval mode  [string] [choices: "default", "auto_edit", "yolo", "plan"]
      --policy                    Additional policy files  [array]
`;

describe("parseHelp", () => {
  it("reads commander's options, values, choices and subcommands", () => {
    const help = parseHelp(claude, "claude");
    expect(help.options.get("--allowedTools")).toEqual({ takes: "many" });
    expect(help.options.get("--allowed-tools")).toEqual({ takes: "many" });
    expect(help.options.get("-d")).toEqual({ takes: "optional" });
    expect(help.options.get("--permission-mode")).toEqual({
      takes: "one",
      choices: ["acceptEdits", "auto", "bypassPermissions", "manual", "dontAsk", "plan"],
    });
    expect(help.options.get("--permission-prompts")?.choices).toEqual(["host", "none"]);
    expect(help.options.get("-p")).toEqual({ takes: "none" });
    expect([...help.commands]).toEqual(["agents", "plugin", "plugins", "stop", "kill"]);
    // A description line that starts with an option's name is no option of its own.
    expect(help.options.has("--debug=hooks,mcp")).toBe(false);
  });

  it("reads clap's short and long lists of possible values", () => {
    const help = parseHelp(codex, "codex");
    expect(help.options.get("--sandbox")?.choices).toEqual(["read-only", "workspace-write", "danger-full-access"]);
    expect(help.options.get("-a")?.choices).toEqual(["on-request", "never"]);
    expect(help.options.get("--image")?.takes).toBe("many");
    expect(help.options.get("--search")).toEqual({ takes: "none" });
    expect([...help.commands]).toEqual(["exec", "e", "login"]);
  });

  it("reads yargs' types and choices, and its subcommands after the program's name", () => {
    const help = parseHelp(gemini, "gemini");
    expect(help.options.get("-p")).toEqual({ takes: "one" });
    expect(help.options.get("--skip-trust")).toEqual({ takes: "none" });
    expect(help.options.get("--approval-mode")).toEqual({
      takes: "one",
      choices: ["default", "auto_edit", "yolo", "plan"],
    });
    expect(help.options.get("--policy")?.takes).toBe("many");
    expect([...help.commands]).toEqual(["mcp", "extensions", "extension"]);
  });
});

describe("shellCommands", () => {
  it("splits a script into commands and words as bash does, keeping $(…) whole", () => {
    expect(
      shellCommands(
        'printenv OPENAI_API_KEY | codex login --with-api-key\ncodex exec --sandbox workspace-write "$(cat "$PARALLEL_COORDINATOR_BRIEF")"\n',
      ),
    ).toEqual([
      ["printenv", "OPENAI_API_KEY"],
      ["codex", "login", "--with-api-key"],
      ["codex", "exec", "--sandbox", "workspace-write", '$(cat "$PARALLEL_COORDINATOR_BRIEF")'],
    ]);
    expect(shellCommands(`a 'b c' "d\\"e" f\\ g && h # i`)).toEqual([["a", "b c", 'd"e', "f g"], ["h"]]);
  });

  it("refuses what it does not read", () => {
    expect(() => shellCommands('claude -p "x" > out')).toThrow(/does not read ">"/);
    expect(() => shellCommands('claude -p "x')).toThrow(/unterminated "/);
  });
});

describe("checkUse", () => {
  const helps: Record<string, string> = { codex, "codex exec": codex, claude, gemini };
  const helpFor =
    (bin: string) =>
    async (path: string[]): Promise<Help> =>
      parseHelp(helps[[bin, ...path].join(" ")]!, bin);

  it("follows subcommands and reads the values options take", async () => {
    const words = shellCommands('codex exec -i a.png b.png --sandbox workspace-write "$(cat "$B")"')[0]!;
    expect(await checkUse(words, helpFor("codex"))).toEqual({
      use: { path: ["exec"], options: ["-i a.png b.png", "--sandbox workspace-write"] },
      problems: [],
    });
    const claudeWords = shellCommands(
      'claude -p "$(cat "$B")" --permission-mode acceptEdits --allowedTools "Bash,Read"',
    )[0]!;
    expect((await checkUse(claudeWords, helpFor("claude"))).problems).toEqual([]);
  });

  it("reports an option, a choice or a subcommand the CLI does not have", async () => {
    const words = shellCommands('codex exec --full-auto --sandbox workspace --search "$(cat "$B")"')[0]!;
    expect((await checkUse(words, helpFor("codex"))).problems).toEqual([
      "`codex exec` has no option --full-auto",
      "`codex exec --sandbox` takes read-only, workspace-write, danger-full-access: not workspace",
    ]);
    expect((await checkUse(["codex", "exce", "$(cat x)"], helpFor("codex"))).problems).toEqual([
      "`codex` has no subcommand exce",
    ]);
    expect((await checkUse(["gemini", "--approval-mode=auto", "-p"], helpFor("gemini"))).problems).toEqual([
      "`gemini --approval-mode` takes default, auto_edit, yolo, plan: not auto",
      "`gemini -p` needs a value",
    ]);
  });
});

describe("the recipes as shipped", () => {
  const recipes = readRecipes(read("templates/RECIPES.md"));

  it("pin every npm install, set up Node and mark the rest unverified", () => {
    expect(recipes.map((recipe) => recipe.name)).toEqual([
      "Claude Code",
      "Codex CLI",
      "Aider",
      "Gemini CLI",
      "A plain script",
    ]);
    expect(recipes.flatMap(recipeProblems)).toEqual([]);
    expect(recipes.find((recipe) => recipe.name === "Aider")?.unverified).toMatch(
      /^Unverified: Aider is a Python package/,
    );
  });

  it("agree with the README's recipe lines and the agent workflow template", () => {
    expect(readmeProblems(read("README.md"), recipes)).toEqual([]);
    expect(templateProblems(read("templates/parallel-coordinator-agent.yml"), recipes)).toEqual([]);
  });

  it("are told apart when they drift", () => {
    const unpinned = readRecipes(
      "## X\n\n```yaml\n      - run: npm install -g some-cli\n      - uses: a/b@v1\n        with:\n          agent: some-cli\n```\n",
    );
    expect(recipeProblems(unpinned[0]!)).toEqual([
      "X: `agent:` never hands the CLI $PARALLEL_COORDINATOR_BRIEF",
      'X: install some-cli at an exact version (npm install -g some-cli@x.y.z), not "latest"',
      "X: set up Node with actions/setup-node and a major `node-version` (found none)",
    ]);
    expect(
      readmeProblems(
        '**Recipes** for `agent:`:\n\n- Claude Code: `claude -p "$(cat "$PARALLEL_COORDINATOR_BRIEF")"`\n- Nobody: `x`\n',
        recipes,
      ),
    ).toEqual([
      expect.stringMatching(/^README\.md:3: Claude Code differs from RECIPES\.md's `agent:`/),
      "README.md:4: names no recipe of RECIPES.md",
    ]);
  });
});
