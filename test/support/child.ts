import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNER = path.join(ROOT, 'test/support/runTs.mjs');

/**
 * A TypeScript module of this repository running in a Node process of its own (through
 * `runTs.mjs`), so a test can kill it for real. The child speaks one JSON object per stdout line.
 */
export interface TsChild {
  readonly process: ChildProcess;
  /** Resolves with the first stdout message `accept` returns true for (already received ones count). */
  message<T = Record<string, unknown>>(accept: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  /** SIGKILL: no handler, no flush, no `finally` runs. Resolves once the process is gone and reaped. */
  kill(): Promise<void>;
  /** What the child wrote to stderr, for failure messages. */
  stderr(): string;
}

export function runTsChild(module: string, args: unknown, env: Record<string, string> = {}): TsChild {
  const child = spawn(process.execPath, [RUNNER, module, JSON.stringify(args)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: unknown[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  let buffered = '';
  let closed = false;
  // 'close' rather than 'exit': it comes after the last stdout chunk has been read.
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      try {
        messages.push(JSON.parse(line));
      } catch {
        stderr += `[stdout] ${line}\n`;
      }
      for (const listener of listeners) listener();
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  return {
    process: child,
    message<T>(accept: (message: T) => boolean, timeoutMs = 20_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = messages.find((message) => accept(message as T));
          if (found === undefined) return false;
          done();
          resolve(found as T);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`child ${module} sent no expected message in ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        const onExit = () => {
          if (check()) return;
          done();
          reject(new Error(`child ${module} exited (${child.exitCode ?? child.signalCode}) first; stderr:\n${stderr}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(listener);
          child.off('close', onExit);
        };
        const listener = () => void check();
        if (check()) return;
        if (closed) return onExit();
        listeners.add(listener);
        child.once('close', onExit);
      });
    },
    async kill() {
      if (!closed) child.kill('SIGKILL');
      await exited;
    },
    stderr: () => stderr,
  };
}
