import type { bitbank } from 'ccxt';
import { ccxtBitbankUrl } from './ccxt-bitbank-file.js';

// Only ccxt's bitbank class (and ccxt's base), not the 100+ other exchanges: loaded from the file the
// package resolver finds (tsx, vitest); a bundle replaces this module with that file (tools/build.ts).
// bench/ccxt-import.bench.ts measures what this saves on a cold start.
const loaded = (await import(ccxtBitbankUrl().href)) as { default: typeof bitbank };
export default loaded.default;
