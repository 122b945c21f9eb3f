#!/usr/bin/env node
// The `openid-doctor` command. This file is committed (not built) so that
// npm links the bin when it installs the workspace, before any build; it runs
// the compiled command from dist/ (`npm run build` first inside the repository).
import { main } from '../dist/cli/openid-doctor.js';

process.exitCode = await main(process.argv.slice(2));
