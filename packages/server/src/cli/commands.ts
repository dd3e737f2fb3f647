/** One `gitpg` sub-command. */
export interface Command {
  name: string
  /** one line for `gitpg --help` */
  summary: string
  /** the full `gitpg <name> --help` text */
  usage: string
  /** runs the command with the arguments after its name; resolves to the exit code */
  run(args: string[]): Promise<number>
}

/** A command whose feature is not built yet: says so and fails. */
export function notAvailable(name: string, summary: string, usage: string): Command {
  return {
    name,
    summary,
    usage,
    async run() {
      throw new Error(`${name} is not available yet`)
    },
  }
}
