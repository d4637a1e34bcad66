/**
 * PEFT interchange: AdaLoRA adapters (and the task head) written and read in Hugging Face PEFT's
 * folder format; PEFT's names are applied here only, training keys everything by module.
 */
package io.rankwise.training.peft;
