#!/usr/bin/env node
// The installed `bpfkit-conformance-plugin` command (bpf_conformance plugin protocol; see launch.js).
import { launch } from './launch.js';

await launch('bpfkit-conformance-plugin', 'plugin-bin.js', 'plugin-bin.js');
