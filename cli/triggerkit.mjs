#!/usr/bin/env node
// The `triggerkit` command line: triggers as code. Validates, lints,
// simulates and diffs trigger files, filters event streams, and pulls and
// pushes Zendesk triggers. Each command lives in its own module, loaded
// (with the wasm package) only when it runs; every failure ends with a
// one-line message and an exit code, never a stack trace.

import { readFileSync } from 'node:fs';
import { EXIT, InputError, UsageError } from './common.mjs';
import { Output } from './io.mjs';

const COMMANDS = {
  validate: './validate.mjs',
  lint: './lint.mjs',
  simulate: './simulate.mjs',
  diff: './diff.mjs',
  filter: './filter.mjs',
  zendesk: './zendesk.mjs',
};

const HELP = `Usage: triggerkit <command> [options]

Triggers as code: check trigger files in CI, test a change against real
traffic before it goes live, and sync Zendesk triggers with a repository.

Commands:
  validate <format> <file>...                  validate trigger files (rocketchat,
                                               zendesk, pocketflows, composio, zapier)
  lint zendesk <triggers.json>                 lint a Zendesk trigger set
  simulate zendesk <triggers.json> <updates.jsonl>
                                               run the firing cycle for each update
  diff zendesk <before.json> <after.json> <updates.jsonl>
                                               what a trigger change changes
  filter '<expression>' [events.jsonl]          the events a filter matches
  zendesk pull [--out file]                    an account's triggers to a file
  zendesk push <triggers.json> [--dry-run]     a file's triggers to the account

\`triggerkit <command> --help\` describes a command. A file argument of - reads
standard input. Exit codes: 0 clean, 1 errors or findings, 2 usage error or
unreadable input.

Options:
  -h, --help      this help
  --version       the package version`;

function version() {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Runs the command line; resolves to the exit code. */
async function main(argv) {
  const out = new Output();
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command; see triggerkit --help');
  if (command === '-h' || command === '--help' || command === 'help') {
    await out.write(`${HELP}\n`);
    return EXIT.ok;
  }
  if (command === '--version' || command === '-V') {
    await out.write(`${version()}\n`);
    return EXIT.ok;
  }
  const module = COMMANDS[command];
  if (!module) throw new UsageError(`unknown command ${JSON.stringify(command)}; see triggerkit --help`);
  const { run } = await import(module);
  return run(rest, out);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError || e instanceof InputError) {
    process.stderr.write(`triggerkit: ${e.message}\n`);
  } else {
    // An unexpected failure (a bug): still one line, with the error's name and code.
    const code = e?.code ? `[${e.code}]` : '';
    process.stderr.write(`triggerkit: ${e?.name ?? 'Error'}${code}: ${e?.message ?? e}\n`);
  }
  process.exitCode = EXIT.usage;
}
