#!/usr/bin/env node
import { runCli } from './runCli.js'

const exitCode = await runCli(process.argv.slice(2))
// Exit only once stdout and stderr are flushed: pipes are asynchronous on some platforms, and
// an early exit would cut the output short.
let pending = 2
const done = () => {
  pending -= 1
  if (pending === 0) process.exit(exitCode)
}
process.stdout.write('', done)
process.stderr.write('', done)
