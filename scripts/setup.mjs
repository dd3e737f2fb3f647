// Installs the pinned pnpm when it is missing, installs the workspace exactly as locked, and
// builds every package to dist/ (what `pnpm start` and an installed `gitpg` run).
import { execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const pinned = JSON.parse(readFileSync(new URL('../package.json', import.meta.url))).packageManager
const version = pinned.split('@')[1]
const run = (cmd) => execSync(cmd, { stdio: 'inherit' })
const current = (() => {
  try {
    return execSync('pnpm --version', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
  } catch {
    return null
  }
})()
if (current !== version) {
  console.log(`installing pnpm@${version}${current ? ` (found ${current})` : ''}`)
  run(`npm install --global pnpm@${version}`)
}
run('pnpm install --frozen-lockfile')
run('pnpm build')
