/**
 * Adapters (AdaLoRA's SVD form, plain LoRA's B A), importance metrics and the rank allocator of
 * AdaLoRA.
 */
package io.rankwise.api.adapt;
