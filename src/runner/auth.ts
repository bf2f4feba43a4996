import { git } from "./git.js";

/**
 * Git credentials for the runner's own fetch and push, in the environment of
 * those git commands only (`GIT_CONFIG_COUNT`/`KEY`/`VALUE`): the agent never
 * sees the token, neither in its environment nor in `.git/config` (check out
 * with `persist-credentials: false`). Where the checkout did persist
 * credentials, they are used as they are: a second Authorization header would
 * make GitHub refuse the request.
 */
export async function withGitAuth(env: NodeJS.ProcessEnv, cwd: string, serverUrl: string, token: string): Promise<NodeJS.ProcessEnv> {
  const key = `http.${serverUrl.replace(/\/*$/, "/")}.extraheader`;
  const persisted = await git({ cwd, env }, ["config", "--get-all", key]);
  if (persisted.code === 0 && persisted.stdout.trim() !== "") return env;
  const index = Number(env.GIT_CONFIG_COUNT ?? "0") || 0;
  const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
  return {
    ...env,
    GIT_CONFIG_COUNT: String(index + 1),
    [`GIT_CONFIG_KEY_${index}`]: key,
    [`GIT_CONFIG_VALUE_${index}`]: `AUTHORIZATION: basic ${basic}`,
  };
}
