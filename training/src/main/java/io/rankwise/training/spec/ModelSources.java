package io.rankwise.training.spec;

/** The names of model sources that are not folders. */
public final class ModelSources {
    /** The embedded all-MiniLM-L6-v2 encoder, from a Maven artifact. */
    public static final String EMBEDDED_MINILM = "embedded:all-minilm-l6-v2";

    /** The Hugging Face Hub id of the embedded model, written as an export's base model. */
    public static final String EMBEDDED_MINILM_HUB_ID = "sentence-transformers/all-MiniLM-L6-v2";

    private ModelSources() {}

    /**
     * The base model an exported adapter names: the Hub id of the embedded model, else the source
     * folder.
     */
    public static String baseModelName(String source) {
        return source.equals(EMBEDDED_MINILM) ? EMBEDDED_MINILM_HUB_ID : source;
    }
}
