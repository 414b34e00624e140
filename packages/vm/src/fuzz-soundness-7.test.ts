/** Soundness fuzzing in CI, shard 7 of 8 (see fuzz-soundness-shard.ts). */
import { soundnessShard } from './fuzz-soundness-shard.js';

soundnessShard(7);
