package dev.mi4j.experiments.config;

import dev.mi4j.core.Mi4jException;

/**
 * A config value refused after parsing, with the section and key it belongs to, so that the
 * loader can report the file line of that key (Jackson only knows where the section ended).
 */
public final class ConfigKeyException extends Mi4jException {

    private final String section;
    private final String key;

    /**
     * @param section the YAML section holding the key (e.g. "attack"), or null for the top level
     * @param key     the key at fault, as written in the file
     */
    public ConfigKeyException(String section, String key, String message, Throwable cause) {
        super(message, cause);
        this.section = section;
        this.key = key;
    }

    public String section() {
        return section;
    }

    public String key() {
        return key;
    }
}
