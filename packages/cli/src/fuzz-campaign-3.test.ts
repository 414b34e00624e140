/** Parser fuzzing in CI, shard 3 of 4 (see fuzz-campaign-shard.ts). */
import { parserFuzzShard } from './fuzz-campaign-shard.js';

parserFuzzShard(3);
