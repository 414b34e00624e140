#!/usr/bin/env node
'use strict';
// The installed `bpfkit-conformance-plugin` command (bpf_conformance plugin protocol; see launch.mjs).
import('./launch.mjs').then(({ launch }) => launch('bpfkit-conformance-plugin', 'plugin-bin.js', 'plugin-bin.js'));
