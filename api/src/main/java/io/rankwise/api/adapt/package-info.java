/** Adapters, importance metrics and the rank allocator of AdaLoRA. */
package io.rankwise.api.adapt;
