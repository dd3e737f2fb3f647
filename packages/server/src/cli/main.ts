#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { Command } from './commands.ts'
import { exportCommand } from './commands/export.ts'
import { importCommand } from './commands/import.ts'
import { keysCommand } from './commands/keys.ts'
import { maintenanceCommand } from './commands/maintenance.ts'
import { IMPORT_LOCAL_USAGE, runImportLocal } from './commands/import-local.ts'
import { pullCommand } from './commands/pull.ts'
import { pushCommand } from './commands/push.ts'
import { serveCommand } from './commands/serve.ts'

/** Every command; a feature that lands replaces its `notAvailable` entry with a real one. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  withLocalImport(importCommand(runImportLocal)),
  exportCommand,
  pullCommand,
  pushCommand,
  keysCommand,
  maintenanceCommand,
]

/** `gitpg import` of a local path or bundle: documented next to the URL form. */
function withLocalImport(command: Command): Command {
  return { ...command, usage: `${command.usage}\n\n${IMPORT_LOCAL_USAGE}` }
}

const HELP = `Usage: gitpg <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n')}

Run \`gitpg <command> --help\` for a command's options.`

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help'

/** Runs the CLI; resolves to the exit code. Failures print one line to stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || isHelp(name)) {
    process.stdout.write(`${HELP}\n`)
    return name === undefined ? 2 : 0
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    process.stderr.write(`gitpg: unknown command ${JSON.stringify(name)} (see gitpg --help)\n`)
    return 2
  }
  if (args.some(isHelp)) {
    process.stdout.write(`${command.usage}\n`)
    return 0
  }
  try {
    return await command.run(args)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    process.stderr.write(`gitpg ${name}: ${message.split('\n')[0]}\n`)
    return 1
  }
}

/** True when this file is the program being run (also through the `gitpg` bin's symlink). */
function isEntryPoint(): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`gitpg: ${(err as Error).message}\n`)
      process.exit(1)
    },
  )
}
