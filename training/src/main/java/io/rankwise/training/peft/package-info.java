/**
 * PEFT interchange: AdaLoRA and plain LoRA adapters (and the task head) written and read in Hugging
 * Face PEFT's folder formats ({@code peft_type} ADALORA and LORA); PEFT's names are applied here
 * only, training keys everything by module.
 */
package io.rankwise.training.peft;
