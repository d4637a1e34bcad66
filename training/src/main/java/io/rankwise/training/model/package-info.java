/**
 * The model of a run (encoder with adapters and task head, tokenizer, backend) and host copies of
 * its trainable values.
 */
package io.rankwise.training.model;
