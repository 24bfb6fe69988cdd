#!/usr/bin/env node
// The `cur` command. It runs the TypeScript sources directly through tsx, so `npx cur` works right after `npm ci`
// with no build step.
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/main.ts');
const code = await main(process.argv);
// A command is done when main returns, even if something it used (a Lambda bundle's runtime, say) keeps a server
// open: exit once stdout has been flushed.
process.stdout.write('', () => process.exit(code));
