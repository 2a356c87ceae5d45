import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Where ccxt's bitbank class is, found through the package resolver (wherever npm put ccxt).
 * ccxt's "exports" map hides its per-exchange files, so the resolver finds ccxt's entry and the
 * class is its sibling `js/src/bitbank.js`. The build aliases `./ccxt-bitbank.js` to this file
 * (tools/build.ts), so a bundle holds bitbank and ccxt's base only, not the 100+ other exchanges.
 */
export function ccxtBitbankUrl(): URL {
  return new URL('../js/src/bitbank.js', pathToFileURL(createRequire(import.meta.url).resolve('ccxt')));
}
