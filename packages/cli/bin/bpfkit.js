#!/usr/bin/env node
// The installed `bpfkit` command (see launch.js for how it picks the bundle or the compiled code).
import { launch } from './launch.js';

await launch('bpfkit', 'bpfkit.js', 'bin/bpfkit.js');
