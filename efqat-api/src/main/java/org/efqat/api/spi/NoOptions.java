package org.efqat.api.spi;

/** The config record of a component without options: its YAML section holds only {@code type}. */
public record NoOptions() {}
