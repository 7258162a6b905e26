/** What a CLI command may touch, so tests can run commands in-process and read what they wrote. */
export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: progress lines are shown only then. */
  isTTY: boolean;
  /** True when stdout is a terminal: colours in text output. */
  stdoutIsTTY?: boolean;
}

/** Thrown for bad flags or arguments: the CLI prints the message and exits 2. */
export class UsageError extends Error {}

export const processIO = (): CliIO => ({
  cwd: process.cwd(),
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
});

export type Command = {
  summary: string;
  run: (args: string[], io: CliIO) => Promise<number>;
};
