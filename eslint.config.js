import js from "@eslint/js";
import tseslint from "typescript-eslint";
import boundaries from "eslint-plugin-boundaries";

/**
 * The layers of src/, bottom to top. A file imports its own layer and the
 * layers below it, never one above and never test/ (ARCHITECTURE.md draws
 * them). Layers on one row are siblings and do not import each other.
 */
export const LAYERS = [
  ["base"], // the config schema, the Problem type, text and Markdown helpers
  ["plan"], // a breakdown read into tasks; the plan's data model
  ["schedule"], // batching, conflicts, scopes, levels, the scheduler, planFromSource
  ["commands", "report"], // a command parsed; the runner's report contract
  ["state"], // the engine: decide, the state, effects and messages as data
  ["render"], // data into Markdown
  ["github"], // effects carried out, the stores, the calls
  ["onboarding"], // the pull request a new installation gets
  ["handlers"], // webhooks into events
  ["app"], // src/probotApp.ts: the Probot app
  ["coordinator"], // the Actions bot: one workflow run's event into the app (the simulator plays it too)
  ["server", "sim", "runner"], // the shells: npm start, the simulator, the agent runner action
  ["cli"], // the command line (it runs the simulator)
];

/**
 * The in-memory GitHub stands outside the layers: a stand-in for GitHub, it
 * imports nothing of the app; only the simulator drives it, and the CLI reads
 * it to tell what happened (tests use it too).
 */
const FAKE_GITHUB = "fakeGitHub";

/** A layer's files: the app is a file of its own, every other layer a folder. */
const entity = (layer) => (layer === "app" ? { file: { categories: "app" } } : { element: { type: layer } });

/**
 * eslint-plugin-boundaries, because the rule is written as the layers
 * themselves (an allow-list: an import nothing allows fails, and so does a
 * file in no layer), it runs in the lint `npm test` already runs, with the
 * editor's feedback, and on Node 20 (engines >=18.18). dependency-cruiser 17
 * would do it too, as a second tool with its own config and pass;
 * eslint-plugin-import's no-restricted-paths lists forbidden pairs, so a new
 * folder would be allowed everywhere until someone forbade it.
 */
const layers = {
  files: ["src/**/*.ts"],
  plugins: { boundaries },
  settings: {
    // `import()` and `export … from` are imports too.
    "boundaries/dependency-nodes": ["import", "dynamic-import", "export"],
    // Imports name `./x.js` for `./x.ts`: TypeScript's resolution finds the file.
    "import/resolver": { typescript: { project: "tsconfig.json" } },
    "boundaries/elements": [
      ...LAYERS.flat()
        .filter((layer) => layer !== "app")
        .map((layer) => ({ type: layer, pattern: `src/${layer}`, partialMatch: false })),
      { type: FAKE_GITHUB, pattern: `src/${FAKE_GITHUB}`, partialMatch: false },
      { type: "test", pattern: "test", partialMatch: false },
    ],
    // The app is one file, the package's main: a file, not a folder, in its layer.
    "boundaries/files": [
      { category: "app", pattern: "src/probotApp.ts" },
      { category: "package", pattern: "package.json" },
    ],
  },
  rules: {
    // A file in no layer, or an import of one (a script, a fixture), fails too.
    "boundaries/no-unknown-files": "error",
    "boundaries/no-unknown-dependencies": "error",
    "boundaries/dependencies": [
      "error",
      {
        default: "disallow",
        policies: [
          // Dependencies, Node's own modules and package.json (the version, the repository) are for every layer.
          { allow: { to: [{ origin: ["external", "core"] }, { file: { categories: "package" } }] } },
          ...LAYERS.flatMap((row, index) =>
            row.map((layer) => ({
              from: entity(layer),
              allow: { to: [layer, ...LAYERS.slice(0, index).flat()].map(entity) },
            })),
          ),
          { from: entity(FAKE_GITHUB), allow: { to: entity(FAKE_GITHUB) } },
          { from: [entity("sim"), entity("cli")], allow: { to: entity(FAKE_GITHUB) } },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ["lib/", "dist/", "coordinator/dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  layers,
  {
    files: ["bin/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
