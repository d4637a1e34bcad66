package io.rankwise.cli.config;

/** The kind of low-rank adapter. */
public enum AdapterKind {
    /** AdaLoRA's SVD form P Λ Q, whose rank budget the allocator prunes during training. */
    ADALORA,
    /** Plain LoRA B A at the fixed rank {@code init_r}; the allocator section is not used. */
    LORA
}
