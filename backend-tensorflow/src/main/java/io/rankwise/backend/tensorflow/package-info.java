/**
 * The {@code tensorflow} backend: Rankwise's {@link io.rankwise.api.Ops} on TensorFlow Java 1.1.0
 * in graph mode. {@link io.rankwise.backend.tensorflow.TfBackendProvider} is the plugin. One
 * backend owns one {@link org.tensorflow.Graph} and one {@link org.tensorflow.Session}; a compiled
 * function traces its step function once per input signature into that graph and afterwards only
 * feeds and fetches, one {@code Session.run} per call. Variables are resource variables shared by
 * every function; gradients come from the graph's {@code tf.gradients} (the C++ gradient registry).
 */
package io.rankwise.backend.tensorflow;
