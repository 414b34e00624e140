/** Soundness fuzzing in CI, shard 6 of 8 (see fuzz-soundness-shard.ts). */
import { soundnessShard } from './fuzz-soundness-shard.js';

soundnessShard(6);
