/**
 * The {@code djl} backend: Rankwise's {@link io.rankwise.api.Ops} on DJL's PyTorch engine, run
 * eagerly. {@link io.rankwise.backend.djl.DjlBackendProvider} is the plugin; a compiled function
 * runs its step function on every call inside an {@link ai.djl.ndarray.NDScope}, defers variable
 * writes to the end of the call, and differentiates with PyTorch's autograd on fresh leaf tensors.
 */
package io.rankwise.backend.djl;
