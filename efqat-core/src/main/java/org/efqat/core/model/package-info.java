/**
 * The model component kind: {@link org.efqat.core.model.ModelProvider} is the service type a model
 * plugin registers, {@link org.efqat.core.model.ModelArchitecture} builds its networks.
 */
package org.efqat.core.model;
