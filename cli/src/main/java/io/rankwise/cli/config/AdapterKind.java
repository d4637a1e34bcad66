package io.rankwise.cli.config;

/** The kind of low-rank adapter. */
public enum AdapterKind {
    /** AdaLoRA's SVD form P Λ Q, whose rank budget the allocator prunes during training. */
    ADALORA,
    /**
     * Plain LoRA B A at the fixed rank {@code init_r}; the allocator and metric sections are not
     * used.
     */
    LORA;

    /** The name as configurations write it: {@code adalora}, {@code lora}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
